package io.tunnelier.operator.reconciler;

import io.tunnelier.api.v1alpha1.NodeConditions;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.operator.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * When a deleted Tunnel may let go: once every agent that reported on it, on a node that still
 * exists, reports {@code StateRemoved=True}; or once {@code finalizerWait} has passed since the
 * deletion, whatever the agents say. Pure.
 */
public final class CleanupGate {
  private CleanupGate() {}

  /** What the cleanup decided. */
  public record Decision(
      boolean release, boolean timedOut, List<String> waitingFor, Duration recheckAfter) {}

  /** The nodes whose agents still have to report the Tunnel's state removed, sorted. */
  public static List<String> waitingFor(List<NodeStatus> entries, Set<String> existingNodes) {
    if (entries == null) {
      return List.of();
    }
    return entries.stream()
        .filter(e -> e.getName() != null && existingNodes.contains(e.getName()))
        .filter(e -> !Conditions.isTrue(e.getConditions(), NodeConditions.STATE_REMOVED))
        .map(NodeStatus::getName)
        .sorted()
        .toList();
  }

  public static Decision decide(
      List<NodeStatus> entries,
      Set<String> existingNodes,
      Instant deletionTimestamp,
      Duration finalizerWait,
      Instant now) {
    List<String> waiting = waitingFor(entries, existingNodes);
    if (waiting.isEmpty()) {
      return new Decision(true, false, waiting, Duration.ZERO);
    }
    Instant deadline = deletionTimestamp.plus(finalizerWait);
    if (!now.isBefore(deadline)) {
      return new Decision(true, true, waiting, Duration.ZERO);
    }
    Duration left = Duration.between(now, deadline);
    // Agents' reports arrive as events; the recheck only bounds the wait.
    Duration recheck = left.compareTo(Duration.ofSeconds(10)) < 0 ? left : Duration.ofSeconds(10);
    return new Decision(false, false, waiting, recheck);
  }
}
