package io.tunnelier.e2e.scenario;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.AgentHeartbeat;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Waiting and reading status in scenarios; a timeout says what was awaited and shows the logs. */
final class Scenarios {
  private Scenarios() {}

  static void await(
      TunnelierCluster cluster, String what, Duration atMost, Callable<Boolean> condition) {
    try {
      Awaitility.await(what)
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(condition);
    } catch (ConditionTimeoutException e) {
      StringBuilder logs = new StringBuilder();
      for (var node : cluster.lab().nodes()) {
        logs.append("\n--- ").append(node.name()).append(" agent ---\n");
        logs.append(cluster.tail(node.name() + "-agent", 25));
      }
      logs.append("\n--- vps agent ---\n").append(cluster.tail("vps-agent", 25));
      throw new AssertionError("timed out waiting until " + what + logs, e);
    }
  }

  /**
   * Starts the agents and the VPS end of egress Tunnel {@code name}, then waits until {@code
   * onGateway}, a selected pod on the gateway, leaves through the VPS: the Tunnel works end to end.
   */
  static void startEgress(
      TunnelierCluster cluster, String namespace, String name, ClusterLab.LabPod onGateway) {
    cluster.startAgents();
    cluster.startVps(namespace, name);
    await(
        cluster,
        "the gateway's pod leaves through the VPS",
        Duration.ofSeconds(120),
        () -> ClusterLab.VPS_ADDRESS.equals(cluster.lab().sourceSeenByWeb(onGateway.ns())));
  }

  static Condition condition(Tunnel tunnel, String type) {
    if (tunnel == null
        || tunnel.getStatus() == null
        || tunnel.getStatus().getConditions() == null) {
      return null;
    }
    return tunnel.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  /** The node's {@code status.nodes[]} entry; null when it has none (or no Tunnel). */
  static io.tunnelier.api.v1alpha1.NodeStatus entry(Tunnel tunnel, String node) {
    if (tunnel == null || tunnel.getStatus() == null || tunnel.getStatus().getNodes() == null) {
      return null;
    }
    return tunnel.getStatus().getNodes().stream()
        .filter(n -> node.equals(n.getName()))
        .findFirst()
        .orElse(null);
  }

  static boolean conditionTrue(Tunnel tunnel, String type) {
    Condition c = condition(tunnel, type);
    return c != null && "True".equals(c.getStatus());
  }

  /** The Tunnel's Events, oldest first, one line each: time, type, reason, message. */
  static java.util.List<String> events(TunnelierCluster cluster, String namespace, String name) {
    return cluster.admin().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .sorted(
            java.util.Comparator.comparing(
                    (io.fabric8.kubernetes.api.model.Event e) ->
                        String.valueOf(e.getLastTimestamp()))
                .thenComparing(e -> e.getMetadata().getCreationTimestamp()))
        .map(
            e ->
                e.getLastTimestamp()
                    + " "
                    + e.getType()
                    + " "
                    + e.getReason()
                    + ": "
                    + e.getMessage())
        .toList();
  }

  /** The node's heartbeat Lease in the agents' namespace; null when there is none yet. */
  static Lease heartbeatLease(TunnelierCluster cluster, String node) {
    return cluster
        .admin()
        .leases()
        .inNamespace(cluster.systemNamespace())
        .withName(AgentHeartbeat.leaseName(node))
        .get();
  }

  static String statusYaml(Tunnel tunnel) {
    return Serialization.asYaml(tunnel.getStatus());
  }
}
