package io.tunnelier.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.DatapathStats;
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
}
