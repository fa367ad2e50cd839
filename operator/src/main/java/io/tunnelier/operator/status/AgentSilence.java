package io.tunnelier.operator.status;

import io.tunnelier.api.v1alpha1.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Whether an agent has gone quiet. Every agent rewrites its {@code status.nodes[]} entry (with a
 * new {@code lastUpdateTime}) at least once a minute, as long as it runs: once per resync, which
 * the agent caps at one minute. An entry older than {@link #AFTER} therefore means the agent is
 * dead or cut off from the API server; its last report says nothing about the tunnel any more. The
 * time is the agent's clock, so nodes need synchronized clocks (NTP), which Kubernetes assumes too.
 */
public final class AgentSilence {
  /** Three missed refreshes. */
  public static final Duration AFTER = io.tunnelier.api.v1alpha1.NodeConditions.SILENT_AFTER;

  private AgentSilence() {}

  /** The agent's last report, if it is older than {@link #AFTER}; empty for a live agent. */
  public static Optional<Instant> lastHeard(NodeStatus entry, Instant now) {
    if (entry == null || entry.getLastUpdateTime() == null) {
      return Optional.empty();
    }
    Instant last;
    try {
      last = Instant.parse(entry.getLastUpdateTime());
    } catch (DateTimeParseException e) {
      return Optional.empty(); // unknown: never judged silent on a value we cannot read
    }
    return now.isAfter(last.plus(AFTER)) ? Optional.of(last) : Optional.empty();
  }
}
