package io.tunnelier.cli;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.v1alpha1.AgentLiveness;
import io.tunnelier.api.v1alpha1.NodeConditions;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Null-safe reads of a Tunnel's status, shared by status and diagnose. */
final class StatusReads {
  private StatusReads() {}

  static Optional<Condition> condition(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static Optional<Condition> tunnelCondition(Tunnel tunnel, String type) {
    return tunnel.getStatus() == null
        ? Optional.empty()
        : condition(tunnel.getStatus().getConditions(), type);
  }

  static Optional<Condition> nodeCondition(NodeStatus entry, String type) {
    return entry == null ? Optional.empty() : condition(entry.getConditions(), type);
  }

  static boolean isTrue(Optional<Condition> c) {
    return c.map(x -> "True".equals(x.getStatus())).orElse(false);
  }

  /** False for a reason that asks for something ({@code NotNeeded} asks for nothing). */
  static boolean isProblem(Condition c) {
    return !"True".equals(c.getStatus()) && !NodeConditions.NOT_NEEDED.equals(c.getReason());
  }

  static List<NodeStatus> entries(Tunnel tunnel) {
    TunnelStatus s = tunnel.getStatus();
    return s == null || s.getNodes() == null ? List.of() : s.getNodes();
  }

  static Optional<NodeStatus> entry(Tunnel tunnel, String node) {
    if (node == null) {
      return Optional.empty();
    }
    return entries(tunnel).stream().filter(e -> node.equals(e.getName())).findFirst();
  }

  static String activeGateway(Tunnel tunnel) {
    return tunnel.getStatus() == null ? null : tunnel.getStatus().getActiveGateway();
  }

  static Optional<NodeStatus> gatewayEntry(Tunnel tunnel) {
    return entry(tunnel, activeGateway(tunnel));
  }

  /** The node's conditions that ask for something, e.g. {@code LinkUp=False (DeviceDown)}. */
  static List<Condition> problems(NodeStatus entry) {
    return entry.getConditions() == null
        ? List.of()
        : entry.getConditions().stream().filter(StatusReads::isProblem).toList();
  }

  /** How long ago an RFC 3339 time was; empty when absent or unreadable. */
  static Optional<Duration> age(String rfc3339, Instant now) {
    if (rfc3339 == null || rfc3339.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.between(Instant.parse(rfc3339), now));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * When the entry's agent was last heard from: the later of the entry's time and its node's Lease
   * renewal ({@link AgentLiveness}), as RFC 3339; null when neither is known.
   */
  static String lastHeard(NodeStatus e, Map<String, Instant> renewals) {
    Instant renewed = renewals == null || e.getName() == null ? null : renewals.get(e.getName());
    return AgentLiveness.lastHeard(e, renewed).map(Instant::toString).orElse(null);
  }

  /**
   * Whether the entry's agent has gone silent ({@link NodeConditions#SILENT_AFTER}, judged like the
   * operator does). With the Leases unreadable ({@code renewals} null) an agent that only renews
   * its Lease cannot be told from a dead one, so nothing is judged silent here: the operator's
   * conditions (AgentSilent, NodeProblem) say it.
   */
  static boolean silent(NodeStatus e, Map<String, Instant> renewals, Instant now) {
    if (renewals == null) {
      return false;
    }
    Optional<Duration> age = age(lastHeard(e, renewals), now);
    return age.isEmpty() || age.get().compareTo(NodeConditions.SILENT_AFTER) > 0;
  }

  /** {@code 4s}, {@code 3m12s}, {@code 2h5m}, {@code 3d4h}. */
  static String human(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
    if (s < 86400) {
      return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : ((s % 3600) / 60) + "m");
    }
    return (s / 86400) + "d" + ((s % 86400) / 3600 == 0 ? "" : ((s % 86400) / 3600) + "h");
  }

  static String ago(String rfc3339, Instant now) {
    return age(rfc3339, now).map(d -> human(d) + " ago").orElse("never");
  }

  /** {@code 7.34ms}; {@code -} when not measured. */
  static String millis(Double ms) {
    return ms == null ? "-" : String.format(java.util.Locale.ROOT, "%.2fms", ms);
  }

  static String conditionText(Condition c) {
    return c.getType()
        + "="
        + c.getStatus()
        + (c.getReason() == null || c.getReason().isEmpty() ? "" : " (" + c.getReason() + ")");
  }
}
