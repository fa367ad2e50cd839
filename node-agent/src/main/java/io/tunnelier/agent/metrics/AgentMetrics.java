package io.tunnelier.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tunnelier.agent.apply.ApplyResult;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.plan.DropRules;
import io.tunnelier.agent.plan.TunnelId;
import io.tunnelier.api.v1alpha1.NodeConditions;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's Prometheus metrics, and the JVM's and the process's. A tunnel's series go away when
 * it is no longer planned on this host.
 */
public final class AgentMetrics {
  /** A counter fed from a running total that restarts at 0 when its datapath is re-opened. */
  private record Fed(Counter counter, AtomicLong last) {}

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter reconcileOk;
  private final Counter reconcileFailed;
  private final Counter kernelReadsSkipped;
  private final Counter ipCommands;
  private final Counter nftTransactions;
  private final Counter nftElementUpdates;
  private final Counter conntrackFlushed;
  private final AtomicLong tunnels = new AtomicLong();
  private final AtomicLong lastSuccess = new AtomicLong();
  private final AtomicLong retryBackoffMillis = new AtomicLong();

  /** A gauge showing the last value it was given (NaN: not measured). */
  private record Shown(Meter meter, AtomicLong bits) {}

  /** Tunnel key to its series, by name and tags. */
  private final Map<String, Map<String, Fed>> tunnelSeries = new ConcurrentHashMap<>();

  /** Tunnel key to its gauges from the status entry, by name. */
  private final Map<String, Map<String, Shown>> tunnelGauges = new ConcurrentHashMap<>();

  private final boolean tunnelNames;

  /** The series key of counters that belong to no tunnel (a tunnel key holds a slash). */
  private static final String NODE = "";

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
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
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
    kernelReadsSkipped =
        Counter.builder("tunnelier_agent_kernel_reads_skipped")
            .description(
                "Reconciles that wanted what the last one applied and did not read the kernel")
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
    conntrackFlushed =
        Counter.builder("tunnelier_agent_conntrack_flushed")
            .description(
                "Conntrack entries deleted because their pod's path changed (selected, deselected,"
                    + " moved to another Tunnel, or its gateway changed), so no flow keeps the old"
                    + " path's address translation")
            .register(registry);
    Gauge.builder("tunnelier_agent_tunnels", tunnels, AtomicLong::get)
        .description("Tunnels this host programs")
        .register(registry);
    Gauge.builder("tunnelier_agent_last_success_timestamp_seconds", lastSuccess, AtomicLong::get)
        .description("When a reconcile last succeeded")
        .register(registry);
    Gauge.builder(
            "tunnelier_agent_retry_backoff_seconds", retryBackoffMillis, m -> m.get() / 1000.0)
        .description(
            "After failed passes, the ceiling of the (jittered) wait before the next one; 0 after a"
                + " success")
        .register(registry);
  }

  /** A reconcile stood on the last one's kernel read ({@code reconciled} counts it too). */
  public void kernelReadSkipped() {
    kernelReadsSkipped.increment();
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
    conntrackFlushed.increment(result.conntrackFlushed());
    tunnels.set(tunnelCount);
    if (result.ok()) {
      lastSuccess.set(epochSeconds);
    }
  }

  /** Removes the series of every tunnel but the {@code planned} ones (keys) on this host. */
  public void retainTunnels(Set<String> planned) {
    for (String key : Set.copyOf(tunnelSeries.keySet())) {
      if (!planned.contains(key) && !NODE.equals(key)) {
        tunnelSeries.remove(key).values().forEach(f -> registry.remove(f.counter()));
      }
    }
    for (String key : Set.copyOf(tunnelGauges.keySet())) {
      if (!planned.contains(key)) {
        tunnelGauges.remove(key).values().forEach(g -> registry.remove(g.meter()));
      }
    }
  }

  /** The loop's retry backoff ceiling (zero after a successful pass). */
  public void retryBackoff(Duration ceiling) {
    retryBackoffMillis.set(ceiling.toMillis());
  }

  /**
   * One tunnel's datapath counters ({@code key} is its {@code namespace/name}): bytes each way, and
   * packets dropped by reason ({@code gre-truncated}, {@code wg-bad-type}, ...): malformed or
   * unwanted packets dropped instead of thrown.
   */
  public void tunnelStats(String key, DatapathStats stats) {
    String tunnel = tunnelLabel(key);
    count(key, "tunnelier_agent_tunnel_rx_bytes", Tags.of("tunnel", tunnel), stats.rxBytes());
    count(key, "tunnelier_agent_tunnel_tx_bytes", Tags.of("tunnel", tunnel), stats.txBytes());
    stats
        .drops()
        .forEach(
            (reason, n) ->
                count(
                    key,
                    "tunnelier_agent_tunnel_dropped_packets",
                    Tags.of("tunnel", tunnel, "reason", reason),
                    n));
  }

  /**
   * Packets the agent's nftables rules dropped, by tunnel and {@link DropRules.Reason}: the kill
   * switch at work (a selected pod's packet that would have left outside the tunnel), connections
   * refused from the tunnel, the node's IPv6 kept out of it; and, for the whole node, VXLAN to the
   * gateway's hop from a source that is not a cluster node.
   *
   * @param totals running totals since each rule was made (a replaced table starts at 0 again)
   */
  public void droppedPackets(Map<DropRules.Counted, Long> totals) {
    totals.forEach(
        (counted, packets) -> {
          if (counted.tunnel() == null) {
            count(
                NODE,
                "tunnelier_agent_firewall_dropped_packets",
                Tags.of("tunnel", "", "reason", counted.reason().label()),
                packets);
          } else {
            count(
                counted.tunnel(),
                "tunnelier_agent_firewall_dropped_packets",
                Tags.of(
                    "tunnel", tunnelLabel(counted.tunnel()), "reason", counted.reason().label()),
                packets);
          }
        });
  }

  /**
   * What this host's status entry for a tunnel says, as gauges, on the host that carries it (an
   * entry with a PeerReachable condition, i.e. a tunnel device here): whether the peer answers
   * through the tunnel, the round trip through it and the direct one to the peer's underlay address
   * (their difference is the detour), and when the last WireGuard handshake completed. A value not
   * measured is NaN.
   */
  public void tunnelStatus(String key, NodeStatus entry) {
    if (entry.getConditions() == null) {
      return;
    }
    var reachable =
        entry.getConditions().stream()
            .filter(c -> NodeConditions.PEER_REACHABLE.equals(c.getType()))
            .findFirst();
    if (reachable.isEmpty()) {
      return;
    }
    show(
        key,
        "tunnelier_agent_tunnel_up",
        "True".equals(reachable.get().getStatus()) ? 1 : 0,
        "1 while the peer answers through the tunnel (condition PeerReachable)");
    show(
        key,
        "tunnelier_agent_tunnel_rtt_seconds",
        seconds(entry.getRttMillis()),
        "Round trip to the peer's inner address through the tunnel");
    show(
        key,
        "tunnelier_agent_tunnel_direct_rtt_seconds",
        seconds(entry.getDirectRttMillis()),
        "Round trip to the peer's underlay address outside the tunnel: the detour's baseline");
    show(
        key,
        "tunnelier_agent_tunnel_last_handshake_timestamp_seconds",
        epochSeconds(entry.getLastHandshakeTime()),
        "When the last WireGuard handshake with the peer completed");
  }

  private static double seconds(Double millis) {
    return millis == null ? Double.NaN : millis / 1000.0;
  }

  private static double epochSeconds(String time) {
    if (time == null) {
      return Double.NaN;
    }
    try {
      return Instant.parse(time).toEpochMilli() / 1000.0;
    } catch (DateTimeParseException e) {
      return Double.NaN;
    }
  }

  private void show(String key, String name, double value, String description) {
    show(key, name, null, value, description);
  }

  /** A tunnel's gauge; with {@code peer}, one series per peer of a Tunnel with backup peers. */
  private void show(String key, String name, String peer, double value, String description) {
    Shown shown =
        tunnelGauges
            .computeIfAbsent(key, k -> new ConcurrentHashMap<>())
            .computeIfAbsent(
                peer == null ? name : name + "|" + peer,
                n -> {
                  AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
                  Gauge.Builder<AtomicLong> b =
                      Gauge.builder(name, bits, x -> Double.longBitsToDouble(x.get()))
                          .tag("tunnel", tunnelLabel(key))
                          .description(description);
                  if (peer != null) {
                    b.tag("peer", peer);
                  }
                  return new Shown(b.register(registry), bits);
                });
    shown.bits().set(Double.doubleToLongBits(value));
  }

  /**
   * A Tunnel with backup peers, on its gateway: for each peer whether it is healthy and whether it
   * carries the traffic (none does while none is healthy).
   */
  public void peers(String key, String activePeer, java.util.List<PeerPathStatus> paths) {
    for (PeerPathStatus p : paths) {
      show(
          key,
          "tunnelier_agent_peer_healthy",
          p.getName(),
          p.getHealthy() == null ? Double.NaN : p.getHealthy() ? 1 : 0,
          "1 while the gateway counts this VPS healthy (probes through its own tunnel answered)");
      show(
          key,
          "tunnelier_agent_peer_active",
          p.getName(),
          p.getName().equals(activePeer) ? 1 : 0,
          "1 for the VPS the selected pods' traffic leaves through");
    }
  }

  /** The gateway changed a Tunnel's peer in use (to another VPS, or to none). */
  public void peerSwitched(String key) {
    tunnelSeries
        .computeIfAbsent(key, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            "tunnelier_agent_peer_switches",
            k ->
                new Fed(
                    Counter.builder("tunnelier_agent_peer_switches")
                        .tag("tunnel", tunnelLabel(key))
                        .description(
                            "Changes of the VPS a Tunnel with backup peers sends through (failover,"
                                + " failback, or none healthy)")
                        .register(registry),
                    new AtomicLong()))
        .counter()
        .increment();
  }

  /** The {@code tunnel} label: {@code namespace/name}, or the device name when names are hidden. */
  String tunnelLabel(String key) {
    return tunnelNames ? key : TunnelId.of(key).deviceName();
  }

  /** Counts up to {@code total}; a total below the last one is a re-opened datapath's. */
  private void count(String key, String name, Tags tags, long total) {
    StringBuilder id = new StringBuilder(name);
    tags.forEach(t -> id.append('|').append(t.getKey()).append('=').append(t.getValue()));
    Fed fed =
        tunnelSeries
            .computeIfAbsent(key, k -> new ConcurrentHashMap<>())
            .computeIfAbsent(
                id.toString(),
                k ->
                    new Fed(Counter.builder(name).tags(tags).register(registry), new AtomicLong()));
    long last = fed.last().getAndSet(total);
    fed.counter().increment(total >= last ? total - last : total);
  }

  public String scrape() {
    return registry.scrape();
  }
}
