package io.tunnelier.agent.plan;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The comments of the agent's counted drop rules, and what tunnel and reason a comment names: the
 * rules are written from here and their counters read back through here, so the two cannot drift. A
 * tunnel key ({@code namespace/name}) holds neither a space nor a colon.
 */
public final class DropRules {
  /** Why a rule drops; {@link #label()} is the metrics label. */
  public enum Reason {
    /** A selected pod's packet to the destinations that would leave other than by the tunnel. */
    KILL_SWITCH("kill-switch"),
    /** A new connection arriving from the tunnel (forward). */
    NOT_A_REPLY("not-a-reply"),
    /** A new connection from the tunnel to this host (input). */
    TO_HOST("to-host"),
    /** The node's own IPv6 on its way into a tunnel that carries IPv4 only. */
    IPV6_INTO_TUNNEL("ipv6-into-tunnel"),
    /** VXLAN to the gateway's hop from a source that is not a cluster node. */
    VXLAN_HOP("vxlan-hop-not-from-node"),
    /** A new pod the CNI plugin holds until the agent has programmed it, to beyond the cluster. */
    HELD_NEW_POD("held-new-pod");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** What one counted drop rule is for; {@code tunnel} is null for a rule of the whole node. */
  public record Counted(String tunnel, Reason reason) {}

  static final String VXLAN_HOP_COMMENT = "VXLAN hop: not from a cluster node";
  public static final String HELD_IPV4_COMMENT = "held: a new pod the agent has not programmed yet";
  public static final String HELD_IPV6_COMMENT =
      "held: a new pod's IPv6 the agent has not programmed yet";
  private static final String KILL_SWITCH = "kill switch ";

  private DropRules() {}

  /** A kill-switch rule of {@code key}; {@code detail} (may be null) says which part. */
  static String killSwitch(String key, String detail) {
    return KILL_SWITCH + key + (detail == null ? "" : ": " + detail);
  }

  static String notAReply(String key, String dev) {
    return key + ": not a reply, from " + dev;
  }

  static String toHost(String key, String dev) {
    return key + ": to this host from " + dev;
  }

  static String noIpv6Into(String key, String dev) {
    return key + ": no IPv6 into " + dev;
  }

  /** What a rule comment names, or empty for a comment that is not one of a counted drop rule. */
  public static Optional<Counted> parse(String comment) {
    if (comment == null) {
      return Optional.empty();
    }
    if (VXLAN_HOP_COMMENT.equals(comment)) {
      return Optional.of(new Counted(null, Reason.VXLAN_HOP));
    }
    if (HELD_IPV4_COMMENT.equals(comment) || HELD_IPV6_COMMENT.equals(comment)) {
      return Optional.of(new Counted(null, Reason.HELD_NEW_POD));
    }
    if (comment.startsWith(KILL_SWITCH)) {
      String rest = comment.substring(KILL_SWITCH.length());
      int colon = rest.indexOf(": ");
      return Optional.of(
          new Counted(colon < 0 ? rest : rest.substring(0, colon), Reason.KILL_SWITCH));
    }
    int colon = comment.indexOf(": ");
    if (colon <= 0) {
      return Optional.empty();
    }
    String key = comment.substring(0, colon);
    String what = comment.substring(colon + 2);
    Reason reason =
        what.startsWith("not a reply, from ")
            ? Reason.NOT_A_REPLY
            : what.startsWith("to this host from ")
                ? Reason.TO_HOST
                : what.startsWith("no IPv6 into ") ? Reason.IPV6_INTO_TUNNEL : null;
    return reason == null ? Optional.empty() : Optional.of(new Counted(key, reason));
  }

  /** Packets by tunnel and reason, from packets by rule comment (rules of one kind summed). */
  public static Map<Counted, Long> totals(Map<String, Long> packetsByComment) {
    Map<Counted, Long> out = new HashMap<>();
    packetsByComment.forEach(
        (comment, packets) -> parse(comment).ifPresent(c -> out.merge(c, packets, Long::sum)));
    return out;
  }
}
