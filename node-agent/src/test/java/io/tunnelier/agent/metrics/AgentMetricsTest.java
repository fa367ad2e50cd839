package io.tunnelier.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.plan.DropRules;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
  final AgentMetrics metrics = new AgentMetrics(true);

  static DatapathStats stats(long rx, long tx, long truncated) {
    return new DatapathStats(0, rx, 0, tx, Map.of("gre-truncated", truncated), null, null);
  }

  @Test
  void datapathCountersAreCountersThatOnlyGoUp() {
    metrics.tunnelStats("ns/a", stats(100, 200, 1));
    metrics.tunnelStats("ns/a", stats(150, 260, 2));
    // The datapath was re-opened: its totals start again at 0; the counter goes on from 210.
    metrics.tunnelStats("ns/a", stats(10, 5, 0));

    assertThat(metrics.scrape())
        .contains(
            "# TYPE tunnelier_agent_tunnel_rx_bytes_total counter",
            "tunnelier_agent_tunnel_rx_bytes_total{tunnel=\"ns/a\"} 160.0",
            "tunnelier_agent_tunnel_tx_bytes_total{tunnel=\"ns/a\"} 265.0",
            "tunnelier_agent_tunnel_dropped_packets_total{reason=\"gre-truncated\",tunnel=\"ns/a\"}"
                + " 2.0")
        .doesNotContain("tunnelier_agent_tunnel_rx_bytes{");
  }

  @Test
  void aTunnelNoLongerPlannedLosesItsSeries() {
    metrics.tunnelStats("ns/a", stats(100, 200, 1));
    metrics.tunnelStats("ns/b", stats(1, 2, 0));
    metrics.retainTunnels(Set.of("ns/a", "ns/b"));
    assertThat(metrics.scrape()).contains("tunnel=\"ns/a\"", "tunnel=\"ns/b\"");

    metrics.retainTunnels(Set.of("ns/b"));

    assertThat(metrics.scrape())
        .doesNotContain("tunnel=\"ns/a\"")
        .contains("tunnelier_agent_tunnel_rx_bytes_total{tunnel=\"ns/b\"} 1.0");
  }

  @Test
  void aTunnelPlannedAgainStartsFromItsDatapathsTotal() {
    metrics.tunnelStats("ns/a", stats(100, 200, 0));
    metrics.retainTunnels(Set.of());
    metrics.tunnelStats("ns/a", stats(30, 40, 0));

    assertThat(metrics.scrape())
        .contains("tunnelier_agent_tunnel_rx_bytes_total{tunnel=\"ns/a\"} 30.0");
  }

  @Test
  void theRetryBackoffIsAGaugeInSeconds() {
    metrics.retryBackoff(java.time.Duration.ofSeconds(4));
    assertThat(metrics.scrape()).contains("tunnelier_agent_retry_backoff_seconds 4.0");
    metrics.retryBackoff(java.time.Duration.ZERO);
    assertThat(metrics.scrape()).contains("tunnelier_agent_retry_backoff_seconds 0.0");
  }

  static NodeStatus entry(String reachable, Double rtt, Double direct, String handshake) {
    NodeStatus s = new NodeStatus();
    s.setConditions(
        java.util.List.of(
            new ConditionBuilder().withType("LinkUp").withStatus("True").build(),
            new ConditionBuilder().withType("PeerReachable").withStatus(reachable).build()));
    s.setRttMillis(rtt);
    s.setDirectRttMillis(direct);
    s.setLastHandshakeTime(handshake);
    return s;
  }

  @Test
  void theStatusEntryBecomesGaugesOfUpRttDetourAndHandshake() {
    metrics.tunnelStatus("ns/a", entry("True", 23.5, 20.0, "2026-01-02T03:04:05Z"));
    assertThat(metrics.scrape())
        .contains(
            "tunnelier_agent_tunnel_up{tunnel=\"ns/a\"} 1.0",
            "tunnelier_agent_tunnel_rtt_seconds{tunnel=\"ns/a\"} 0.0235",
            "tunnelier_agent_tunnel_direct_rtt_seconds{tunnel=\"ns/a\"} 0.02");
    assertThat(value("tunnelier_agent_tunnel_last_handshake_timestamp_seconds{tunnel=\"ns/a\"}"))
        .isEqualTo(1767323045.0);

    // The peer stopped answering: down, no round trip measured.
    metrics.tunnelStatus("ns/a", entry("False", null, 20.0, null));
    assertThat(metrics.scrape())
        .contains(
            "tunnelier_agent_tunnel_up{tunnel=\"ns/a\"} 0.0",
            "tunnelier_agent_tunnel_rtt_seconds{tunnel=\"ns/a\"} NaN",
            "tunnelier_agent_tunnel_last_handshake_timestamp_seconds{tunnel=\"ns/a\"} NaN");

    metrics.retainTunnels(Set.of());
    assertThat(metrics.scrape()).doesNotContain("tunnel=\"ns/a\"");
  }

  private double value(String series) {
    return metrics
        .scrape()
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .map(l -> Double.parseDouble(l.substring(series.length() + 1).strip()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + series));
  }

  /** A member node (no tunnel device, no PeerReachable condition) has no such gauges. */
  @Test
  void aHostWithoutTheTunnelsDeviceShowsNoTunnelGauges() {
    NodeStatus member = new NodeStatus();
    member.setConditions(
        java.util.List.of(new ConditionBuilder().withType("LinkUp").withStatus("True").build()));
    metrics.tunnelStatus("ns/a", member);
    assertThat(metrics.scrape()).doesNotContain("tunnelier_agent_tunnel_up");
  }

  @Test
  void theJvmAndTheProcessAreMeasuredToo() {
    assertThat(metrics.scrape())
        .contains(
            "jvm_memory_used_bytes",
            "jvm_threads_live_threads",
            "jvm_gc_",
            "jvm_classes_loaded_classes",
            "process_cpu_usage",
            "process_uptime_seconds",
            "process_files_open_files");
  }

  @Test
  void firewallDropsByTunnelAndReasonAndTheNodesOwn() {
    metrics.droppedPackets(
        DropRules.totals(
            Map.of(
                "kill switch ns/a", 5L,
                "kill switch ns/a: IPv6", 2L,
                "ns/a: not a reply, from tnl-1", 1L,
                "VXLAN hop: not from a cluster node", 4L)));
    // The table was replaced: its counters start again at 0; the metric goes on.
    metrics.droppedPackets(DropRules.totals(Map.of("kill switch ns/a", 3L)));
    assertThat(metrics.scrape())
        .contains(
            "tunnelier_agent_firewall_dropped_packets_total{reason=\"kill-switch\",tunnel=\"ns/a\"}"
                + " 10.0",
            "tunnelier_agent_firewall_dropped_packets_total{reason=\"not-a-reply\",tunnel=\"ns/a\"}"
                + " 1.0",
            "tunnelier_agent_firewall_dropped_packets_total{reason=\"vxlan-hop-not-from-node\","
                + "tunnel=\"\"} 4.0");

    metrics.retainTunnels(Set.of());
    assertThat(metrics.scrape())
        .doesNotContain("tunnel=\"ns/a\"")
        .contains("reason=\"vxlan-hop-not-from-node\"");
  }
}
