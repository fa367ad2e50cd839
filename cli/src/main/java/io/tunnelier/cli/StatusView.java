package io.tunnelier.cli;

import static io.tunnelier.cli.StatusReads.ago;
import static io.tunnelier.cli.StatusReads.conditionText;
import static io.tunnelier.cli.StatusReads.entries;
import static io.tunnelier.cli.StatusReads.millis;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.v1alpha1.DetourStatus;
import io.tunnelier.api.v1alpha1.NodeConditions;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.PeerStatus;
import io.tunnelier.api.v1alpha1.PeerSwitch;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** What {@code kubectl tunnelier status} prints: pure renderers of Tunnels at an instant. */
public final class StatusView {
  private StatusView() {}

  /**
   * One row per Tunnel; {@code wide} adds a row per node under each (role, datapath, its agent's
   * conditions, RTT, MTU and when its agent was last heard from) and the columns for them.
   */
  public static String table(List<Tunnel> tunnels, boolean wide, Instant now) {
    return table(tunnels, wide, Map.of(), now);
  }

  /**
   * As {@link #table(List, boolean, Instant)}, judging each agent's silence by its entry and its
   * node's heartbeat Lease renewal ({@code renewals}; null when the Leases could not be read).
   */
  public static String table(
      List<Tunnel> tunnels, boolean wide, Map<String, Instant> renewals, Instant now) {
    if (tunnels.isEmpty()) {
      return "No Tunnels found.\n";
    }
    List<String> header =
        new java.util.ArrayList<>(
            List.of(
                "NAMESPACE",
                "NAME",
                "TYPE",
                "ENCAP",
                "READY",
                "REASON",
                "GATEWAY",
                "PEER",
                "RTT",
                "DETOUR",
                "NODES"));
    if (wide) {
      header.addAll(List.of("MTU", "HEARD", "CONDITIONS"));
    }
    Table t = new Table(header.toArray(String[]::new));
    for (Tunnel tunnel : tunnels) {
      Optional<Condition> ready = StatusReads.tunnelCondition(tunnel, "Ready");
      TunnelStatus s = tunnel.getStatus();
      PeerStatus peer = s == null ? null : s.getPeer();
      List<String> row =
          new java.util.ArrayList<>(
              List.of(
                  tunnel.getMetadata().getNamespace(),
                  tunnel.getMetadata().getName(),
                  json(tunnel.getSpec().getType()),
                  json(tunnel.getSpec().getEncapsulation()),
                  ready.map(Condition::getStatus).orElse("-"),
                  ready.map(Condition::getReason).orElse("-"),
                  orDash(StatusReads.activeGateway(tunnel)),
                  peerEndpoint(tunnel),
                  millis(peer == null ? null : peer.getRttMillis()),
                  detour(s == null ? null : s.getDetour()),
                  healthyNodes(tunnel, renewals, now) + "/" + entries(tunnel).size()));
      if (wide) {
        row.addAll(List.of(s == null || s.getMtu() == null ? "-" : "" + s.getMtu(), "", ""));
      }
      t.row(row.toArray(String[]::new));
      if (wide) {
        for (NodeStatus e : entries(tunnel)) {
          t.row(
              "",
              "  " + e.getName(),
              json(e.getRole()),
              json(e.getDatapath()),
              healthy(e, renewals, now) ? "ok" : "problem",
              "",
              "",
              "",
              millis(e.getRttMillis()),
              "",
              "",
              e.getMtu() == null ? "-" : String.valueOf(e.getMtu()),
              ago(StatusReads.lastHeard(e, renewals), now),
              conditionsShort(e));
        }
      }
    }
    return t.render();
  }

  /** One Tunnel in detail: its status, its conditions and every node's report. */
  public static String detail(Tunnel tunnel, Instant now) {
    return detail(tunnel, Map.of(), now);
  }

  /**
   * As {@link #detail(Tunnel, Instant)}, each agent last heard from by its entry or its node's
   * heartbeat Lease renewal ({@code renewals}; null when the Leases could not be read).
   */
  public static String detail(Tunnel tunnel, Map<String, Instant> renewals, Instant now) {
    StringBuilder out = new StringBuilder();
    TunnelStatus s = tunnel.getStatus();
    out.append("Tunnel:      ")
        .append(tunnel.getMetadata().getNamespace())
        .append('/')
        .append(tunnel.getMetadata().getName())
        .append(" (")
        .append(json(tunnel.getSpec().getType()))
        .append(" over ")
        .append(json(tunnel.getSpec().getEncapsulation()))
        .append(")\n");
    out.append("Peer:        ").append(peerEndpoint(tunnel)).append('\n');
    if (s == null) {
      return out.append("Status:      none yet (the operator has not reconciled it)\n").toString();
    }
    out.append("Gateway:     ")
        .append(orDash(s.getActiveGateway()))
        .append(
            s.getStandbyGateways() == null || s.getStandbyGateways().isEmpty()
                ? ""
                : "  standby: " + String.join(", ", s.getStandbyGateways()))
        .append('\n');
    out.append("Addresses:   ")
        .append(orDash(s.getTunnelAddress()))
        .append(" <-> ")
        .append(orDash(s.getPeerAddress()))
        .append("   MTU ")
        .append(s.getMtu() == null ? "-" : s.getMtu())
        .append('\n');
    if (s.getTunnelAddress6() != null) {
      out.append("             ")
          .append(s.getTunnelAddress6())
          .append(" <-> ")
          .append(orDash(s.getPeerAddress6()))
          .append('\n');
    }
    PeerStatus p = s.getPeer();
    if (p != null) {
      out.append("Peer health: RTT ")
          .append(millis(p.getRttMillis()))
          .append(", loss ")
          .append(p.getLossPercent() == null ? "-" : p.getLossPercent() + "%")
          .append(", handshake ")
          .append(p.getLastHandshakeTime() == null ? "-" : ago(p.getLastHandshakeTime(), now))
          .append(", rx ")
          .append(p.getRxBytes() == null ? "-" : p.getRxBytes() + " B")
          .append(", tx ")
          .append(p.getTxBytes() == null ? "-" : p.getTxBytes() + " B")
          .append('\n');
    }
    if (s.getPeerPaths() != null && !s.getPeerPaths().isEmpty()) {
      out.append("VPS in use:  ")
          .append(
              s.getActivePeer() == null || s.getActivePeer().isEmpty()
                  ? "none healthy (the kill switch holds the traffic)"
                  : s.getActivePeer())
          .append('\n');
      Table vps = new Table("", "PEER", "ENDPOINT", "ADDRESS", "HEALTHY", "LOSS", "RTT", "WHY");
      for (PeerPathStatus path : s.getPeerPaths()) {
        vps.row(
            path.getName().equals(s.getActivePeer()) ? "*" : "",
            path.getName(),
            orDash(path.getEndpoint()),
            orDash(path.getTunnelAddress()),
            path.getHealthy() == null ? "-" : path.getHealthy() ? "yes" : "no",
            path.getLossPercent() == null ? "-" : path.getLossPercent() + "%",
            millis(path.getRttMillis()),
            orDash(path.getReason()));
      }
      vps.render().lines().forEach(l -> out.append("  ").append(l).append('\n'));
      PeerSwitch sw = s.getLastPeerSwitch();
      if (sw != null) {
        out.append("Last switch: ")
            .append(sw.getFrom() == null || sw.getFrom().isEmpty() ? "none" : sw.getFrom())
            .append(" -> ")
            .append(sw.getTo() == null || sw.getTo().isEmpty() ? "none" : sw.getTo())
            .append(", ")
            .append(ago(sw.getTime(), now))
            .append(": ")
            .append(orDash(sw.getReason()))
            .append('\n');
      }
    }
    if (s.getDetour() != null) {
      out.append("Detour:      ")
          .append(detour(s.getDetour()))
          .append(" (direct ")
          .append(millis(s.getDetour().getDirectRttMillis()))
          .append(", via the tunnel ")
          .append(millis(s.getDetour().getViaTunnelRttMillis()))
          .append(")\n");
    }
    if (s.getSelectedPods() != null) {
      out.append("Pods:        ").append(s.getSelectedPods()).append(" selected, running\n");
    }
    out.append("Conditions:\n");
    for (Condition c : Optional.ofNullable(s.getConditions()).orElse(List.of())) {
      out.append("  ").append(conditionText(c)).append(": ").append(c.getMessage()).append('\n');
    }
    out.append("Nodes:\n");
    Table nodes = new Table("NODE", "ROLE", "DATAPATH", "CONDITIONS", "RTT", "MTU", "HEARD");
    for (NodeStatus e : entries(tunnel)) {
      nodes.row(
          e.getName(),
          json(e.getRole()),
          json(e.getDatapath()),
          conditionsShort(e),
          millis(e.getRttMillis()),
          e.getMtu() == null ? "-" : String.valueOf(e.getMtu()),
          ago(StatusReads.lastHeard(e, renewals), now));
    }
    nodes.render().lines().forEach(l -> out.append("  ").append(l).append('\n'));
    for (NodeStatus e : entries(tunnel)) {
      for (Condition c : StatusReads.problems(e)) {
        out.append("  ")
            .append(e.getName())
            .append(": ")
            .append(conditionText(c))
            .append(": ")
            .append(c.getMessage())
            .append('\n');
      }
    }
    return out.toString();
  }

  /**
   * A node is healthy when its agent is heard from ({@link StatusReads#silent}) and no condition
   * asks for anything.
   */
  static boolean healthy(NodeStatus e, Map<String, Instant> renewals, Instant now) {
    return !StatusReads.silent(e, renewals, now) && StatusReads.problems(e).isEmpty();
  }

  private static long healthyNodes(Tunnel tunnel, Map<String, Instant> renewals, Instant now) {
    return entries(tunnel).stream().filter(e -> healthy(e, renewals, now)).count();
  }

  /**
   * {@code LinkUp RoutesProgrammed NATProgrammed !PeerReachable(NoReply)}: the true ones, and with
   * {@code !} the ones that ask for something; {@code NotNeeded} ones are left out, and a node with
   * nothing to do for the Tunnel shows {@code not needed}.
   */
  static String conditionsShort(NodeStatus e) {
    if (e.getConditions() == null || e.getConditions().isEmpty()) {
      return "-";
    }
    String shown =
        e.getConditions().stream()
            .filter(c -> !NodeConditions.NOT_NEEDED.equals(c.getReason()))
            .map(
                c ->
                    "True".equals(c.getStatus())
                        ? c.getType()
                        : "!" + c.getType() + "(" + c.getReason() + ")")
            .collect(Collectors.joining(" "));
    return shown.isEmpty() ? "not needed" : shown;
  }

  private static String peerEndpoint(Tunnel t) {
    TunnelStatus s = t.getStatus();
    if (s != null && s.getPeer() != null && s.getPeer().getEndpoint() != null) {
      return s.getPeer().getEndpoint();
    }
    return orDash(t.getSpec().getPeer() == null ? null : t.getSpec().getPeer().getEndpoint());
  }

  /** {@code +6.86ms}: what the way through the VPS costs over the direct one. */
  private static String detour(DetourStatus d) {
    if (d == null || d.getDirectRttMillis() == null || d.getViaTunnelRttMillis() == null) {
      return "-";
    }
    return String.format(
        Locale.ROOT, "%+.2fms", d.getViaTunnelRttMillis() - d.getDirectRttMillis());
  }

  /** The enum's name as the API spells it (its @JsonProperty). */
  static String json(Enum<?> value) {
    if (value == null) {
      return "-";
    }
    try {
      com.fasterxml.jackson.annotation.JsonProperty p =
          value
              .getDeclaringClass()
              .getField(value.name())
              .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      return p == null ? value.name() : p.value();
    } catch (NoSuchFieldException e) {
      return value.name();
    }
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
