package io.tunnelier.operator.status;

import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.PeerSwitch;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's changes of the peer in use ({@code lastPeerSwitch}): which one is newer, and the
 * {@value #REASON} Event for a new one. The operator's copy in {@code status.lastPeerSwitch} is
 * what a switch is compared with, so a switch gives one Event across reconciles and operator
 * restarts, and a gateway that comes back with an older switch gives none. Pure.
 */
public final class PeerSwitches {
  /** The Event reason of every change of the peer in use. */
  public static final String REASON = "PeerFailover";

  private PeerSwitches() {}

  /**
   * {@code reported} when it is newer than {@code known} (or known is null), else {@code known}.
   */
  static PeerSwitch newer(PeerSwitch known, PeerSwitch reported) {
    return reported != null && after(reported, known) ? reported : known;
  }

  /**
   * The Event for a switch {@code after} records and {@code before} did not: Warning when the
   * gateway moved to a lower-priority peer or to none, Normal when it moved back up. Priority is
   * the order of {@code after.peerPaths} (the spec's).
   */
  static Optional<TunnelEvents.Event> event(TunnelStatus before, TunnelStatus after) {
    PeerSwitch now = after.getLastPeerSwitch();
    PeerSwitch was = before == null ? null : before.getLastPeerSwitch();
    if (now == null || now.getTime() == null || !after(now, was)) {
      return Optional.empty();
    }
    String from = blankToEmpty(now.getFrom());
    String to = blankToEmpty(now.getTo());
    String why = now.getReason() == null || now.getReason().isBlank() ? "" : ": " + now.getReason();
    if (to.isEmpty()) {
      return Optional.of(
          new TunnelEvents.Event(
              TunnelEvents.WARNING,
              REASON,
              "no healthy peer"
                  + why
                  + "; the kill switch holds the selected pods' traffic"
                  + (from.isEmpty() ? "" : " (it left through " + from + " before)")));
    }
    List<PeerPathStatus> order = after.getPeerPaths();
    int fromPriority = PeerPaths.priority(order, from);
    int toPriority = PeerPaths.priority(order, to);
    boolean back = from.isEmpty() || (toPriority >= 0 && toPriority < fromPriority);
    return Optional.of(
        new TunnelEvents.Event(
            back ? TunnelEvents.NORMAL : TunnelEvents.WARNING,
            REASON,
            "switched from " + (from.isEmpty() ? "no healthy peer" : from) + " to " + to + why));
  }

  /** Whether {@code a} happened after {@code b}; any switch is after none. */
  private static boolean after(PeerSwitch a, PeerSwitch b) {
    if (b == null || b.getTime() == null) {
      return a.getTime() != null;
    }
    if (a.getTime() == null) {
      return false;
    }
    try {
      return instant(a.getTime()).isAfter(instant(b.getTime()));
    } catch (DateTimeParseException e) {
      // Not RFC 3339 (an agent's bug): a different time is still a different switch.
      return !Objects.equals(a.getTime(), b.getTime());
    }
  }

  private static Instant instant(String rfc3339) {
    return OffsetDateTime.parse(rfc3339).toInstant();
  }

  private static String blankToEmpty(String s) {
    return s == null ? "" : s.trim();
  }
}
