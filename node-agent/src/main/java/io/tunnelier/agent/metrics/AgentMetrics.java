package io.tunnelier.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tunnelier.agent.apply.ApplyResult;
import io.tunnelier.agent.plan.TunnelId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The agent's Prometheus metrics. */
public final class AgentMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter reconcileOk;
  private final Counter reconcileFailed;
  private final Counter ipCommands;
  private final Counter nftTransactions;
  private final Counter nftElementUpdates;
  private final AtomicLong tunnels = new AtomicLong();
  private final AtomicLong lastSuccess = new AtomicLong();
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  private final boolean tunnelNames;

  /** Metrics that label tunnels by {@code namespace/name}. */
  public AgentMetrics() {
    this(true);
  }

  /**
   * @param tunnelNames label tunnels by {@code namespace/name}; false: by device name ({@code
   *     tnl-<hash>}), for a VPS whose metrics a stranger may read
   */
  public AgentMetrics(boolean tunnelNames) {
    this.tunnelNames = tunnelNames;
    reconcileOk =
        Counter.builder("tunnelier_agent_reconciles")
            .tag("result", "ok")
            .description("Reconciles of the node's network state")
            .register(registry);
    reconcileFailed =
        Counter.builder("tunnelier_agent_reconciles")
            .tag("result", "error")
            .description("Reconciles of the node's network state")
            .register(registry);
    ipCommands =
        Counter.builder("tunnelier_agent_ip_commands")
            .description("Link, address, route, rule and neighbour changes sent to the kernel")
            .register(registry);
    nftTransactions =
        Counter.builder("tunnelier_agent_nft_transactions")
            .description("nftables transactions that changed the agent's table")
            .register(registry);
    nftElementUpdates =
        Counter.builder("tunnelier_agent_nft_element_updates")
            .description(
                "nftables transactions that only added or deleted set elements (pods joining or"
                    + " leaving a selection), not a rewrite of the table")
            .register(registry);
    Gauge.builder("tunnelier_agent_tunnels", tunnels, AtomicLong::get)
        .description("Tunnels this host programs")
        .register(registry);
    Gauge.builder("tunnelier_agent_last_success_timestamp_seconds", lastSuccess, AtomicLong::get)
        .description("When a reconcile last succeeded")
        .register(registry);
  }

  public void reconciled(ApplyResult result, int tunnelCount, long epochSeconds) {
    (result.ok() ? reconcileOk : reconcileFailed).increment();
    ipCommands.increment(result.ipCommands().size());
    if (result.nftApplied()) {
      nftTransactions.increment();
    }
    if (result.nftElementsOnly()) {
      nftElementUpdates.increment();
    }
    tunnels.set(tunnelCount);
    if (result.ok()) {
      lastSuccess.set(epochSeconds);
    }
  }

  /** A per-tunnel gauge such as rx/tx bytes; {@code key} is the tunnel's {@code namespace/name}. */
  public void tunnelGauge(String name, String key, long value) {
    gauge(name, Tags.of("tunnel", tunnelLabel(key)), value);
  }

  /**
   * The datapath's drop counters of one tunnel, by reason ({@code gre-truncated}, {@code
   * wg-bad-type}, ...): malformed or unwanted packets dropped instead of thrown.
   */
  public void tunnelDrops(String key, Map<String, Long> drops) {
    String tunnel = tunnelLabel(key);
    drops.forEach(
        (reason, count) ->
            gauge(
                "tunnelier_agent_tunnel_dropped_packets",
                Tags.of("tunnel", tunnel, "reason", reason),
                count));
  }

  /** The {@code tunnel} label: {@code namespace/name}, or the device name when names are hidden. */
  String tunnelLabel(String key) {
    return tunnelNames ? key : TunnelId.of(key).deviceName();
  }

  private void gauge(String name, Tags tags, long value) {
    StringBuilder id = new StringBuilder(name);
    tags.forEach(t -> id.append('|').append(t.getKey()).append('=').append(t.getValue()));
    gauges
        .computeIfAbsent(
            id.toString(),
            k -> {
              AtomicLong v = new AtomicLong();
              Gauge.builder(name, v, AtomicLong::get).tags(tags).register(registry);
              return v;
            })
        .set(value);
  }

  public String scrape() {
    return registry.scrape();
  }
}
