package io.tunnelier.operator.status;

import io.tunnelier.api.v1alpha1.AgentLiveness;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an agent has gone quiet: neither its {@code status.nodes[]} entry rewritten nor its
 * heartbeat Lease renewed for {@link #AFTER} ({@link AgentLiveness}). An agent with a Lease renews
 * it every 30 s; one without rewrites its entry at least once a minute. Silent, the agent is dead
 * or cut off from the API server; its last report says nothing about the tunnel any more.
 */
public final class AgentSilence {
  /** Six missed Lease renewals, three missed rewrites. */
  public static final Duration AFTER = io.tunnelier.api.v1alpha1.NodeConditions.SILENT_AFTER;

  private AgentSilence() {}

  /**
   * When the agent was last heard from, if that is older than {@link #AFTER}; empty for a live
   * agent.
   *
   * @param renewals each node's heartbeat Lease renewal; empty without heartbeats
   */
  public static Optional<Instant> lastHeard(
      NodeStatus entry, Map<String, Instant> renewals, Instant now) {
    Instant renewed =
        entry == null || entry.getName() == null ? null : renewals.get(entry.getName());
    return AgentLiveness.silentSince(entry, renewed, now);
  }
}
