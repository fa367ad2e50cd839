package io.tunnelier.operator.gateway;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The agents' heartbeats as this operator has seen them: for each node whose agent keeps a
 * heartbeat Lease, when (on this operator's monotonic clock) the Lease last changed. A node whose
 * Lease has not changed for {@code timeout} has lost its heartbeat. Judged on the operator's own
 * clock, not on the Lease's renewTime, so clock skew between nodes cannot fail a gateway over.
 *
 * <p>Only a Lease seen and then silent counts: a node without one (its agent has no gateway duty,
 * or heartbeats are off) is judged by its Node's Ready condition alone. When every known heartbeat
 * stops at once, the likelier cause is this operator's own view (its watch is cut off, the API
 * server stalls), so none counts as lost: moving every gateway would not help.
 *
 * <p>Thread-safe: the Lease informer records, the reconciler and the expiry timer read. The clock
 * is a parameter of every call.
 */
public final class AgentHeartbeats {
  private final Duration timeout;
  private final Map<String, Seen> seen = new HashMap<>();
  private Set<String> lastLost = Set.of();

  private record Seen(String version, long changedNanos) {}

  public AgentHeartbeats(Duration timeout) {
    this.timeout = timeout;
  }

  /** The node's Lease as the informer delivered it; a new resourceVersion is a renewal. */
  public synchronized void observe(String node, String resourceVersion, long nowNanos) {
    Seen before = seen.get(node);
    if (before == null || !before.version().equals(resourceVersion)) {
      seen.put(node, new Seen(resourceVersion, nowNanos));
    }
  }

  /** The node's Lease is gone: its agent released it (no gateway duty) or its Pod was deleted. */
  public synchronized void forget(String node) {
    seen.remove(node);
  }

  /** The nodes whose heartbeat is lost, each with how long it has been silent. */
  public synchronized Map<String, Duration> lost(long nowNanos) {
    Map<String, Duration> lost = new HashMap<>();
    for (Map.Entry<String, Seen> e : seen.entrySet()) {
      long silent = nowNanos - e.getValue().changedNanos();
      if (silent > timeout.toNanos()) {
        lost.put(e.getKey(), Duration.ofNanos(silent));
      }
    }
    if (lost.size() == seen.size()) {
      return Map.of(); // all at once: our view, not the nodes (see the class comment)
    }
    return lost;
  }

  /**
   * Whether the set of lost nodes changed since the last call: the expiry timer's question, so that
   * a heartbeat stopping (or coming back) reconciles the Tunnels at once rather than at their next
   * event.
   */
  public synchronized boolean changedSinceLastLook(long nowNanos) {
    Set<String> now = new HashSet<>(lost(nowNanos).keySet());
    boolean changed = !now.equals(lastLost);
    lastLost = Set.copyOf(now);
    return changed;
  }

  /** The candidates with the heartbeat verdict applied. */
  public java.util.List<NodeReadiness> judge(
      java.util.List<NodeReadiness> candidates, long nowNanos) {
    Map<String, Duration> lost = lost(nowNanos);
    if (lost.isEmpty()) {
      return candidates;
    }
    return candidates.stream()
        .map(
            c -> {
              Duration silent = lost.get(c.name());
              return silent == null
                  ? c
                  : c.withHeartbeatLost(
                      "has not renewed its heartbeat Lease for "
                          + String.format(java.util.Locale.ROOT, "%.1f", silent.toMillis() / 1000.0)
                          + "s (gatewayHeartbeatTimeout "
                          + io.tunnelier.api.Durations.format(timeout)
                          + "): the node, its agent or its connection to the API server is down");
            })
        .toList();
  }
}
