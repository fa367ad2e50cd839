package io.tunnelier.operator.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a gateway election.
 *
 * @param active the node that terminates the tunnel; null when no candidate is Ready
 * @param standby the other Ready candidates, in the order they would take over
 * @param change why the active gateway changed in this election; null when it did not
 * @param recheckAfter when to elect again even if nothing else happens (a failover deadline)
 */
public record Election(
    String active, List<String> standby, Change change, Optional<Duration> recheckAfter) {

  public Election {
    standby = List.copyOf(standby);
  }

  /** A change of active gateway: from (may be null), to (may be null), and why. */
  public record Change(String from, String to, Cause cause, String message) {}

  /** Why the active gateway changed. */
  public enum Cause {
    /** The first election, or a return after no candidate was Ready. */
    ELECTED,
    /** The active node's Ready condition is no longer True, or the node is gone. */
    NODE_NOT_READY,
    /** The active node's agent stopped renewing its heartbeat Lease. */
    HEARTBEAT_LOST,
    /** The active node no longer matches spec.gateway.nodeSelector. */
    NO_LONGER_CANDIDATE,
    /** The active node's agent reported the tunnel down for longer than gatewayFailoverAfter. */
    TUNNEL_DOWN,
    /** No Ready node matches the selector any more. */
    NO_CANDIDATE
  }
}
