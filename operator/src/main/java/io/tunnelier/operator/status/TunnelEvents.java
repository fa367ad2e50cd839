package io.tunnelier.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.gateway.Election;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which Kubernetes Events a status change deserves: one per transition of Ready, one when Degraded
 * turns True for a reason Ready does not already tell, one per gateway move, and one per new switch
 * of the peer in use ({@link PeerSwitches}). Pure.
 */
public final class TunnelEvents {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  /** Ready False for these is expected on the way up or out, not a warning. */
  private static final Set<String> NORMAL_NOT_READY =
      Set.of(
          TunnelConditions.WAITING_FOR_AGENTS,
          TunnelConditions.WAITING_FOR_KEYS,
          TunnelConditions.DELETING);

  /** An Event to emit: Normal or Warning, a reason (CamelCase) and a message. */
  public record Event(String type, String reason, String message) {}

  private TunnelEvents() {}

  /** Events for going from {@code before} to {@code after}. */
  public static List<Event> transitions(TunnelStatus before, TunnelStatus after) {
    List<Condition> old = before == null ? null : before.getConditions();
    List<Condition> now = after.getConditions();
    List<Event> events = new ArrayList<>();
    // The cause first: a switch of peer often comes with a change of Ready or Degraded.
    PeerSwitches.event(before, after).ifPresent(events::add);
    Optional<Condition> ready = Conditions.find(now, TunnelConditions.READY);
    Optional<Condition> readyBefore = Conditions.find(old, TunnelConditions.READY);
    if (ready.isPresent() && changed(readyBefore, ready.get())) {
      Condition c = ready.get();
      boolean normal = "True".equals(c.getStatus()) || NORMAL_NOT_READY.contains(c.getReason());
      events.add(new Event(normal ? NORMAL : WARNING, c.getReason(), c.getMessage()));
    }
    Optional<Condition> degraded = Conditions.find(now, TunnelConditions.DEGRADED);
    if (degraded.isPresent()
        && "True".equals(degraded.get().getStatus())
        && changed(Conditions.find(old, TunnelConditions.DEGRADED), degraded.get())
        && !(ready.isPresent() && degraded.get().getReason().equals(ready.get().getReason()))) {
      events.add(new Event(WARNING, degraded.get().getReason(), degraded.get().getMessage()));
    }
    return events;
  }

  /** The Event for a change of active gateway, if any. */
  public static Optional<Event> gatewayChange(Election election) {
    Election.Change change = election.change();
    if (change == null) {
      return Optional.empty();
    }
    return switch (change.cause()) {
      case ELECTED -> Optional.of(new Event(NORMAL, "GatewayElected", change.message()));
      case NO_CANDIDATE ->
          Optional.of(
              new Event(
                  WARNING,
                  "GatewayLost",
                  "active gateway " + change.from() + " lost: " + change.message()));
      default ->
          Optional.of(
              new Event(
                  WARNING,
                  "GatewayFailover",
                  "active gateway moved from "
                      + change.from()
                      + " to "
                      + change.to()
                      + ": "
                      + change.message()));
    };
  }

  private static boolean changed(Optional<Condition> before, Condition after) {
    return before.isEmpty()
        || !before.get().getStatus().equals(after.getStatus())
        || !java.util.Objects.equals(before.get().getReason(), after.getReason());
  }
}
