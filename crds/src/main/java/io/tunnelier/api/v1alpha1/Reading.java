package io.tunnelier.api.v1alpha1;

import java.time.Duration;
import java.util.Objects;

/**
 * One path's readings as a status shows them, and whether they moved enough to be written again.
 * Bytes grow with every probe and an RTT jitters: written whenever they changed, every write was a
 * new version of the whole Tunnel to every watcher. Shared by the agents (their {@code
 * status.nodes[]} entries) and the operator (its copy in {@code status.peer}). Pure.
 *
 * @param rttMillis the RTT shown
 * @param lossPercent the loss shown
 * @param lastHandshakeTime the WireGuard handshake shown
 */
public record Reading(Double rttMillis, Double lossPercent, String lastHandshakeTime) {
  /** The wait after the last write when a reading moved. */
  public static final Duration MOVED_EVERY = Duration.ofMinutes(1);

  /** The wait after the last write when only bytes and jitter changed. */
  public static final Duration UNMOVED_EVERY = Duration.ofMinutes(5);

  /**
   * An RTT change smaller than this is jitter, whatever the fraction: the agents report one probe's
   * RTT, and on a busy node a LAN's 0.5 ms sample reads 2 or 3 ms now and then (with 1 ms, 144 of
   * 201 idle lab Tunnels a minute counted as moved).
   */
  static final double RTT_MOVED_MILLIS = 5.0;

  /** An RTT change smaller than this fraction of the shown RTT is jitter (a path's 20 ± 2 ms). */
  static final double RTT_MOVED_FRACTION = 0.2;

  public static Reading of(NodeStatus s) {
    return new Reading(s.getRttMillis(), s.getLossPercent(), s.getLastHandshakeTime());
  }

  public static Reading of(PeerStatus s) {
    return new Reading(s.getRttMillis(), s.getLossPercent(), s.getLastHandshakeTime());
  }

  public static Reading of(PeerPathStatus s) {
    return new Reading(s.getRttMillis(), s.getLossPercent(), s.getLastHandshakeTime());
  }

  /** Moved from {@code shown}: its RTT beyond jitter, any change of loss, or a new handshake. */
  public boolean movedFrom(Reading shown) {
    return rttMoved(shown.rttMillis, rttMillis)
        || !Objects.equals(shown.lossPercent, lossPercent)
        || !Objects.equals(shown.lastHandshakeTime, lastHandshakeTime);
  }

  /**
   * Whether this shows a value that {@code shown} did not have: the first RTT, loss or handshake.
   * That is news users wait for, not a measurement moving.
   */
  public boolean firstValueSince(Reading shown) {
    return (shown.rttMillis == null && rttMillis != null)
        || (shown.lossPercent == null && lossPercent != null)
        || (shown.lastHandshakeTime == null && lastHandshakeTime != null);
  }

  /**
   * Whether a byte count shows traffic. The first such count is news (a Tunnel that carries
   * something); later ones are counters that grow with every probe.
   */
  public static boolean counted(Long bytes) {
    return bytes != null && bytes > 0;
  }

  /**
   * An RTT moved by at least {@link #RTT_MOVED_MILLIS} and {@link #RTT_MOVED_FRACTION} of the one
   * shown; a first value, or one gone, always.
   */
  public static boolean rttMoved(Double shown, Double now) {
    if (shown == null || now == null) {
      return !Objects.equals(shown, now);
    }
    double change = Math.abs(now - shown);
    return change >= RTT_MOVED_MILLIS && change >= RTT_MOVED_FRACTION * shown;
  }
}
