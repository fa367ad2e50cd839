package io.tunnelier.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.k8s.TunnelCrd;
import io.tunnelier.operator.config.OperatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gateway failover with the real operator: when the active node goes NotReady, and when its agent
 * reports the tunnel down for longer than gatewayFailoverAfter.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayFailoverIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ControlPlane controlPlane;
  private final KubernetesClient admin;
  private final Cluster cluster;
  private final String id = UUID.randomUUID().toString().substring(0, 6);
  private final String operatorNamespace = "tunnelier-fo-" + id;
  private final String namespace = "failover-" + id;
  private final String gatewayLabel = "it.tunnelier.io/gateway-" + id;
  private final List<String> nodes = new ArrayList<>();
  private OperatorUnderTest operator;

  GatewayFailoverIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.admin = controlPlane.adminClient();
    this.cluster = new Cluster(admin);
  }

  @BeforeAll
  void start() {
    TunnelCrd.install(admin);
    cluster.createNamespace(operatorNamespace);
    cluster.createNamespace(namespace);
    operator =
        OperatorUnderTest.start(
            controlPlane,
            operatorNamespace,
            OperatorConfig.defaults()
                .withAddressPool("100.96.64.0/24")
                .withGatewayFailoverAfter(Duration.ofSeconds(3))
                .withFinalizerWait(Duration.ofSeconds(5)),
            null);
  }

  @AfterAll
  void stop() {
    admin.resources(Tunnel.class).inNamespace(namespace).delete();
    await()
        .atMost(WAIT)
        .until(
            () -> admin.resources(Tunnel.class).inNamespace(namespace).list().getItems().isEmpty());
    operator.close();
    nodes.forEach(cluster::deleteNode);
    admin.namespaces().withName(namespace).delete();
    admin.namespaces().withName(operatorNamespace).delete();
  }

  /** A Ready node that only the Tunnels selecting {@code group} may use as gateway. */
  private String node(String group, String suffix) {
    String name = "fo-" + id + "-" + group + "-" + suffix;
    cluster.createNode(name, Map.of(gatewayLabel, group), "10.245." + nodes.size() + ".0/24");
    nodes.add(name);
    return name;
  }

  private void createTunnel(String name, String group) {
    cluster.createTunnel(
        namespace,
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: %s}
        spec:
          type: Egress
          encapsulation: GRE
          peer: {endpoint: "203.0.113.20", greKey: 7}
          gateway: {nodeSelector: {%s: "%s"}}
          egress: {podSelector: {matchLabels: {app: scraper}}}
        """
            .formatted(name, gatewayLabel, group));
  }

  private String active(String tunnel) {
    Tunnel t = cluster.tunnel(namespace, tunnel);
    return t == null || t.getStatus() == null ? null : t.getStatus().getActiveGateway();
  }

  private String ready(String tunnel) {
    Tunnel t = cluster.tunnel(namespace, tunnel);
    if (t == null || t.getStatus() == null || t.getStatus().getConditions() == null) {
      return null;
    }
    return t.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse(null);
  }

  @Test
  void movesWhenTheActiveNodeGoesNotReadyAndKeepsItWhenItReturns() {
    String a = node("nr", "a");
    String b = node("nr", "b");
    createTunnel("nr", "nr");
    await().atMost(WAIT).until(() -> a.equals(active("nr")));
    cluster.report(namespace, "nr", Cluster.healthy(a, NodeRole.GATEWAY, Instant.now()));
    await().atMost(WAIT).until(() -> "True/PeerReachable".equals(ready("nr")));

    cluster.setReady(a, false);
    await().atMost(WAIT).until(() -> b.equals(active("nr")));
    Tunnel moved = cluster.tunnel(namespace, "nr");
    assertThat(moved.getStatus().getStandbyGateways()).isNullOrEmpty();
    // The new gateway's agent has not taken over yet.
    await().atMost(WAIT).until(() -> "False/WaitingForAgents".equals(ready("nr")));
    assertThat(cluster.events(namespace, "nr"))
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("GatewayFailover");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains(a).contains(b).contains("not Ready");
            });

    cluster.report(namespace, "nr", Cluster.healthy(b, NodeRole.GATEWAY, Instant.now()));
    await().atMost(WAIT).until(() -> "True/PeerReachable".equals(ready("nr")));

    // The old node returns: it becomes a standby, the gateway stays where it is.
    cluster.setReady(a, true);
    await()
        .atMost(WAIT)
        .until(
            () ->
                List.of(a)
                    .equals(cluster.tunnel(namespace, "nr").getStatus().getStandbyGateways()));
    assertThat(active("nr")).isEqualTo(b);
  }

  @Test
  void movesWhenTheAgentReportsTheTunnelDownLongerThanTheFailoverTime() {
    String a = node("down", "a");
    String b = node("down", "b");
    createTunnel("down", "down");
    await().atMost(WAIT).until(() -> a.equals(active("down")));
    cluster.report(namespace, "down", Cluster.healthy(a, NodeRole.GATEWAY, Instant.now()));
    await().atMost(WAIT).until(() -> "True/PeerReachable".equals(ready("down")));

    NodeStatus broken = Cluster.healthy(a, NodeRole.GATEWAY, Instant.now());
    List<Condition> conditions = new ArrayList<>(broken.getConditions());
    conditions.removeIf(c -> "PeerReachable".equals(c.getType()));
    conditions.add(Cluster.condition("PeerReachable", false, "ProbeTimeout", Instant.now()));
    broken.setConditions(conditions);
    cluster.report(namespace, "down", broken);

    // First the problem is reported with the pending failover, then the gateway moves.
    await()
        .atMost(WAIT)
        .until(() -> "False/PeerUnreachable".equals(ready("down")) || b.equals(active("down")));
    await().atMost(WAIT).until(() -> b.equals(active("down")));
    assertThat(cluster.tunnel(namespace, "down").getStatus().getStandbyGateways())
        .containsExactly(a);
    assertThat(cluster.events(namespace, "down"))
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("GatewayFailover");
              assertThat(e.getMessage()).contains("reported the tunnel down");
            });
    assertThat(cluster.events(namespace, "down"))
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("PeerUnreachable"));
  }
}
