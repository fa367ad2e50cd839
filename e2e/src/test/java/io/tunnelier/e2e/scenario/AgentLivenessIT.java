package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.tunnelier.agent.status.NodeStatusBuilder;
import io.tunnelier.api.v1alpha1.AgentHeartbeat;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Reading;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.cli.CheckResult;
import io.tunnelier.cli.Diagnosis;
import io.tunnelier.cli.Severity;
import io.tunnelier.cli.SnapshotReader;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every agent says it is alive with its node's heartbeat Lease, not by rewriting every Tunnel's
 * {@code status.nodes[]} entry (each such write sends the whole Tunnel to every agent's watch). Two
 * lab nodes under the chart's objects: node-a is the gateway (its Lease on duty, renewed every
 * second), node-b a member (its Lease idle, renewed every 30 s). Over 40 s with nothing changing,
 * the member's entry is not rewritten while its Lease is renewed, the gateway's is rewritten for
 * its measurements no sooner than a minute after the last write, and the operator and {@code
 * kubectl tunnelier diagnose}'s check still count both agents alive.
 */
@ExtendWith(ControlPlaneExtension.class)
class AgentLivenessIT {
  private static final Duration WAIT = Duration.ofSeconds(150);
  // More than the idle renewal (30 s), and many times the lab's --status-min-interval (1 s).
  private static final Duration QUIET = Duration.ofSeconds(40);

  @Test
  void membersSayTheyAreAliveWithTheirLeaseNotWithTheirStatusEntries(ControlPlane controlPlane)
      throws Exception {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("liveness");
      cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      Tunnel tunnel = cluster.applyExample("egress-wireguard.yaml", ns);
      String name = tunnel.getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);
      Scenarios.await(
          cluster,
          name + " is Ready and both nodes report",
          WAIT,
          () -> {
            Tunnel t = cluster.tunnel(ns, name);
            return Scenarios.conditionTrue(t, "Ready")
                && Scenarios.entry(t, "node-a") != null
                && Scenarios.entry(t, "node-b") != null;
          });
      // The gateway writes a measurement's first value at once; the window below is for what
      // follows: readings that move, and counters.
      Scenarios.await(
          cluster,
          "node-a's entry shows its RTT, handshake and bytes both ways",
          WAIT,
          () -> {
            NodeStatus e = Scenarios.entry(cluster.tunnel(ns, name), "node-a");
            return e.getRttMillis() != null
                && e.getLastHandshakeTime() != null
                && Reading.counted(e.getRxBytes())
                && Reading.counted(e.getTxBytes());
          });
      Scenarios.await(
          cluster,
          "node-b's Lease is idle and node-a's on gateway duty",
          WAIT,
          () ->
              AgentHeartbeat.IDLE_VALUE.equals(label(cluster, "node-b"))
                  && AgentHeartbeat.LABEL_VALUE.equals(label(cluster, "node-a")));

      Tunnel before = cluster.tunnel(ns, name);
      Instant memberLeaseBefore = renewTime(cluster, "node-b");
      Thread.sleep(QUIET.toMillis());
      Tunnel after = cluster.tunnel(ns, name);
      Instant memberLeaseAfter = renewTime(cluster, "node-b");
      System.out.printf(
          "[liveness] over %d s: node-b's entry %s -> %s, its Lease %s -> %s; node-a's entry %s"
              + " -> %s%n",
          QUIET.toSeconds(),
          Scenarios.entry(before, "node-b").getLastUpdateTime(),
          Scenarios.entry(after, "node-b").getLastUpdateTime(),
          memberLeaseBefore,
          memberLeaseAfter,
          Scenarios.entry(before, "node-a").getLastUpdateTime(),
          Scenarios.entry(after, "node-a").getLastUpdateTime());

      assertThat(Scenarios.entry(after, "node-b").getLastUpdateTime())
          .as("the member's unchanged entry is not rewritten")
          .isEqualTo(Scenarios.entry(before, "node-b").getLastUpdateTime());
      assertThat(memberLeaseAfter).as("the member's Lease is renewed").isAfter(memberLeaseBefore);
      // With its conditions as they were (a transition moves lastTransitionTime) and no first
      // value (the first direct RTT may come late), the gateway rewrote its entry for its
      // measurements only: a moved reading after a minute, bytes after five. Before, it rewrote
      // them every 6 x --status-min-interval.
      if (Scenarios.entry(after, "node-a")
              .getConditions()
              .equals(Scenarios.entry(before, "node-a").getConditions())
          && !NodeStatusBuilder.firstReadings(
              Scenarios.entry(before, "node-a"), Scenarios.entry(after, "node-a"))) {
        Duration gap =
            Duration.between(
                Instant.parse(Scenarios.entry(before, "node-a").getLastUpdateTime()),
                Instant.parse(Scenarios.entry(after, "node-a").getLastUpdateTime()));
        assertThat(gap.isZero() || gap.compareTo(Duration.ofMinutes(1)) >= 0)
            .as(
                "the gateway's measurements rewritten after %s (not at all, or after a minute)",
                gap)
            .isTrue();
      }

      assertThat(Scenarios.conditionTrue(after, "Ready")).as("still Ready").isTrue();
      assertThat(Scenarios.conditionTrue(after, "Degraded"))
          .as("no node counted silent: " + after.getStatus().getConditions())
          .isFalse();
      CheckResult agents =
          Diagnosis.run(new SnapshotReader(cluster.admin(), cluster.systemNamespace()).read(after))
              .stream()
              .filter(r -> r.check().equals("agents"))
              .findFirst()
              .orElseThrow();
      System.out.println("[liveness] diagnose: " + agents);
      assertThat(agents.severity()).as(agents.what()).isEqualTo(Severity.OK);
      assertThat(agents.what()).contains("each renews its heartbeat Lease every 30 s");
    }
  }

  private static String label(TunnelierCluster cluster, String node) {
    Lease lease = Scenarios.heartbeatLease(cluster, node);
    return lease == null ? null : lease.getMetadata().getLabels().get(AgentHeartbeat.LABEL);
  }

  private static Instant renewTime(TunnelierCluster cluster, String node) {
    return Scenarios.heartbeatLease(cluster, node).getSpec().getRenewTime().toInstant();
  }
}
