package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 7, cleanup: a working egress Tunnel (gateway, member, VPS) is deleted. The finalizer
 * holds it until every agent reported {@code StateRemoved}; then it is gone, and no link, route,
 * rule, neighbour, forwarding-database entry or nftables table of ours is left on any node. The
 * VPS, which is not a node and does not see the Tunnel, is cleaned the way docs/vps.md has its
 * admin do it ({@code standalone --cleanup}). Everything else on every host is as it was before
 * Tunnelier touched it.
 *
 * <p>The nftables table: docs/agent.md says a Tunnel's removal rewrites the table without it "or
 * deletes it when empty", so with the last Tunnel gone the table must be absent, not empty.
 */
@ExtendWith(ControlPlaneExtension.class)
class CleanupIT {
  private static final String FINALIZER = "tunnelier.io/cleanup";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"egress-gre.yaml", "egress-wireguard.yaml"})
  void deletingTheTunnelLeavesNothingOfOurs(String example, ControlPlane controlPlane)
      throws Exception {
    // node-c has no selected pod: it must be left alone, and it still reports to the Tunnel.
    try (ClusterLab lab = ClusterLab.create(3, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("cleanup");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var onMember = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      Map<String, Netns> hosts = new LinkedHashMap<>();
      lab.nodes().forEach(n -> hosts.put(n.name(), n.ns()));
      hosts.put("vps", lab.vps());
      Map<String, HostObjects> untouched = snapshot(hosts);
      untouched.forEach(
          (host, objects) ->
              assertThat(objects.noneOfOurs()).as(host + " starts without Tunnelier").isTrue());

      Tunnel tunnel = cluster.applyExample(example, ns);
      String name = tunnel.getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);
      for (var pod : List.of(onGateway, onMember)) {
        Scenarios.await(
            cluster,
            pod.name() + " leaves through the VPS",
            Duration.ofSeconds(120),
            () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(pod.ns())));
      }
      Scenarios.await(
          cluster,
          "the Tunnel is Ready",
          Duration.ofSeconds(90),
          () -> Scenarios.conditionTrue(cluster.tunnel(ns, name), "Ready"));

      // node-c reports that it has nothing to do (NotNeeded), which is not a problem.
      Scenarios.await(
          cluster,
          "node-c reported, and the Tunnel is not Degraded",
          Duration.ofSeconds(60),
          () -> {
            Tunnel t = cluster.tunnel(ns, name);
            return t.getStatus().getNodes().stream().anyMatch(n -> n.getName().equals("node-c"))
                && "False".equals(Scenarios.condition(t, "Degraded").getStatus());
          });
      Map<String, HostObjects> programmed = snapshot(hosts);
      programmed.forEach(
          (host, objects) ->
              System.out.printf(
                  "[cleanup " + example + "] %s, programmed:%n    %s%n", host, objects.ours()));
      // The collector sees what the agents made, or "nothing left" below would prove nothing.
      for (String host : List.of("node-a", "node-b", "vps")) {
        HostObjects o = programmed.get(host);
        assertThat(o.ourLinks()).as(host + ": our links").isNotEmpty();
        assertThat(o.ourRoutes()).as(host + ": our routes").isNotEmpty();
        // Cluster nodes also hold the CNI plugin's hold table (agent.cniHold, the default).
        assertThat(o.ourNftTables())
            .as(host + ": our nftables tables")
            .containsExactlyElementsOf(
                host.equals("vps")
                    ? List.of("inet tunnelier")
                    : List.of("inet tunnelier", "inet tunnelier_cni"));
        if (!host.equals("vps")) {
          assertThat(o.ourRules()).as(host + ": our rules").isNotEmpty();
          assertThat(o.ourNeighbours()).as(host + ": our neighbours").isNotEmpty();
        }
      }
      // The way back to the member's pod: the rule into the gateway's reply table, and the
      // member's hop device in the gateway's forwarding database.
      assertThat(programmed.get("node-a").ourRules())
          .as("node-a: iif rule into the reply table")
          .anyMatch(r -> r.contains("\"priority\":10105") && r.contains("\"iif\":\"tnl-"));
      assertThat(programmed.get("node-a").ourFdb())
          .as("node-a: forwarding-database entry for node-b's hop device")
          .anyMatch(f -> f.contains("\"dst\":\"" + lab.node("node-b").address() + "\""));

      List<Tunnel> versions = Collections.synchronizedList(new ArrayList<>());
      List<String> actions = Collections.synchronizedList(new ArrayList<>());
      Instant deleted;
      try (Watch watch =
          cluster
              .admin()
              .resources(Tunnel.class)
              .inNamespace(ns)
              .withName(name)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Tunnel t) {
                      actions.add(action.name());
                      versions.add(t);
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  })) {
        deleted = Instant.now();
        cluster.admin().resources(Tunnel.class).inNamespace(ns).withName(name).delete();
        Scenarios.await(
            cluster,
            "the Tunnel is gone",
            Duration.ofSeconds(120),
            () -> cluster.tunnel(ns, name) == null && actions.contains("DELETED"));
      }
      Instant gone = Instant.now();

      // The version before the DELETED event: deletion pending, every agent's StateRemoved.
      int deletedAt = actions.indexOf("DELETED");
      Tunnel beforeRelease = versions.get(deletedAt - 1);
      List<String> removedBy = new ArrayList<>();
      for (NodeStatus node : beforeRelease.getStatus().getNodes()) {
        Condition removed =
            node.getConditions().stream()
                .filter(c -> c.getType().equals("StateRemoved"))
                .findFirst()
                .orElse(null);
        assertThat(removed).as(node.getName() + " reported StateRemoved").isNotNull();
        assertThat(removed.getStatus()).isEqualTo("True");
        removedBy.add(node.getName() + " at " + removed.getLastTransitionTime());
      }
      assertThat(removedBy).hasSize(lab.nodes().size());
      // The finalizer held the Tunnel while the agents worked; the API server deleted it (404
      // above) only once the operator removed it. The DELETED event carries the last stored
      // version, finalizer included: the removal itself is never stored.
      assertThat(beforeRelease.getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(beforeRelease.getMetadata().getFinalizers()).contains(FINALIZER);
      List<String> events = Scenarios.events(cluster, ns, name);
      assertThat(events).noneMatch(e -> e.contains("CleanupTimedOut"));
      System.out.printf(
          "[cleanup "
              + example
              + "] Tunnel deleted at %s, gone (404) %d ms later; watch saw %s; finalizers"
              + " while deleting %s; StateRemoved: %s%n[cleanup] Events:%n  %s%n",
          deleted,
          Duration.between(deleted, gone).toMillis(),
          actions,
          beforeRelease.getMetadata().getFinalizers(),
          removedBy,
          String.join("\n  ", events));

      System.out.printf(
          "[cleanup " + example + "] vps: %s%n",
          cluster.cleanupVps().strip().replace("\n", "\n    "));
      Map<String, HostObjects> after = snapshot(hosts);
      for (String host : hosts.keySet()) {
        HostObjects o = after.get(host);
        System.out.printf("[cleanup " + example + "] %s, after:%n    %s%n", host, o.ours());
        assertThat(o.noneOfOurs()).as(host + ": nothing of ours left:\n" + o.ours()).isTrue();
        assertThat(o.others())
            .as(host + ": everything else as before Tunnelier")
            .containsExactlyElementsOf(untouched.get(host).others());
      }
    }
  }

  private static Map<String, HostObjects> snapshot(Map<String, Netns> hosts) {
    Map<String, HostObjects> out = new LinkedHashMap<>();
    hosts.forEach((name, ns) -> out.put(name, HostObjects.of(ns)));
    return out;
  }
}
