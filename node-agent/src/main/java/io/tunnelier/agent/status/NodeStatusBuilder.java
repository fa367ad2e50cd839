package io.tunnelier.agent.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tunnelier.agent.apply.ApplyResult;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.plan.Cidrs;
import io.tunnelier.agent.plan.DatapathChoice;
import io.tunnelier.agent.plan.Nat;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.NodeConditions;
import io.tunnelier.api.v1alpha1.NodeDatapath;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.PeerSwitch;
import io.tunnelier.api.v1alpha1.Reading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Builds this node's {@code status.nodes[]} entry for one tunnel from its plan, the last apply and
 * the datapath's counters. Pure. A condition keeps its lastTransitionTime while its status does not
 * change.
 */
public final class NodeStatusBuilder {
  private NodeStatusBuilder() {}

  public static NodeStatus build(
      String nodeName,
      TunnelPlan plan,
      ApplyResult result,
      Optional<DatapathStats> stats,
      Optional<Integer> mtu,
      PeerMeasurement peer,
      NodeStatus previous,
      Instant now) {
    NodeStatus s = new NodeStatus();
    s.setName(nodeName);
    s.setRole(plan.role().nodeRole());
    s.setDatapath(plan.device() == null ? null : plan.device().datapath());
    String problem = plan.problem();
    String datapathError = result.datapathErrors().get(plan.key());
    List<Condition> conditions = new ArrayList<>();

    String linkName =
        plan.device() != null
            ? plan.device().name()
            : plan.vxlan() != null ? plan.vxlan().name() : null;
    boolean linkUp =
        linkName != null
            && result.live().links().stream().anyMatch(l -> l.name().equals(linkName) && l.up());
    // A selected pod bound here without a known IP yet: only the kill switch's guard, no problem.
    boolean guardOnly =
        linkName == null
            && problem == null
            && plan.killSwitch() != null
            && plan.killSwitch().guard() != null
            && plan.killSwitch().pods().isEmpty();
    if (linkName == null) {
      String reason =
          problem == null
              ? "NotNeeded"
              : problem.startsWith(DatapathChoice.KERNEL_MODULE_MISSING)
                  ? NodeConditions.KERNEL_MODULE_MISSING
                  : "NotProgrammed";
      conditions.add(
          condition(
              NodeConditions.LINK_UP,
              "False",
              reason,
              problem != null
                  ? problem
                  : guardOnly
                      ? "a selected pod on this node has no IP yet; the kill switch guards it"
                      : "this node has no selected pods and is not the gateway",
              previous,
              now));
    } else if (datapathError != null) {
      conditions.add(
          condition(
              NodeConditions.LINK_UP,
              "False",
              NodeConditions.DATAPATH_FAILED,
              datapathError,
              previous,
              now));
    } else {
      conditions.add(
          condition(
              NodeConditions.LINK_UP,
              linkUp ? "True" : "False",
              linkUp ? "DeviceUp" : "DeviceDown",
              linkName
                  + (linkUp ? " is up" : " is missing or down")
                  + datapathWhy(plan)
                  + (plan.cachedView() == null
                      ? ""
                      : "; the agent works from a cached view (" + plan.cachedView() + ")"),
              previous,
              now));
    }

    String ipError = result.ipErrorFor(plan.key());
    boolean routesOk = ipError == null && plan.routing() != null && linkUp;
    // Nothing planned and nothing wrong: an egress node without selected pods, not the gateway.
    boolean idle = linkName == null && problem == null && (plan.killSwitch() == null || guardOnly);
    conditions.add(
        condition(
            NodeConditions.ROUTES_PROGRAMMED,
            routesOk ? "True" : "False",
            routesOk
                ? "Programmed"
                : ipError != null ? "ApplyFailed" : idle ? "NotNeeded" : "NotProgrammed",
            routesOk
                ? "table " + plan.id().table() + " and its rules are in place" + notCarried(plan)
                : ipError != null
                    ? truncate(ipError)
                    : problem != null ? problem : "nothing to route",
            previous,
            now));

    // The table holds more than NAT: MSS clamping and the forward accepts for our devices too
    // (site-to-site has only those). Whatever of it this node needs counts as programmed.
    boolean natNeeded =
        plan.nat() != null
            || plan.killSwitch() != null
            || plan.device() != null
            || plan.vxlan() != null;
    boolean natOk = result.nftError() == null && natNeeded;
    conditions.add(
        condition(
            NodeConditions.NAT_PROGRAMMED,
            natOk ? "True" : "False",
            natOk ? "Programmed" : result.nftError() != null ? "ApplyFailed" : "NotNeeded",
            natOk
                ? describeNat(plan, result.cniChainProblem())
                : result.nftError() != null
                    ? truncate(result.nftError())
                    : "no NAT or kill switch on this node",
            previous,
            now));

    if (plan.device() != null) {
      OptionalDouble rtt = peer.rttMillis();
      boolean reachable = rtt.isPresent();
      boolean probing = !reachable && peer.probing();
      conditions.add(
          condition(
              NodeConditions.PEER_REACHABLE,
              reachable ? "True" : probing ? "Unknown" : "False",
              reachable ? "EchoReplied" : probing ? NodeConditions.PROBING : "NoReply",
              (reachable
                      ? "the peer's inner address "
                      : probing
                          ? "no answer yet (a new tunnel) from the peer's inner address "
                          : "no reply from the peer's inner address ")
                  + plan.device().peerInner(),
              previous,
              now));
      rtt.ifPresent(r -> s.setRttMillis(round2(r)));
      peer.lossPercent().ifPresent(l -> s.setLossPercent(round2(l)));
      peer.directRttMillis().ifPresent(r -> s.setDirectRttMillis(round2(r)));
      mtu.ifPresent(s::setMtu);
      stats.ifPresent(
          st -> {
            s.setRxBytes(st.rxBytes());
            s.setTxBytes(st.txBytes());
            s.setPeerEndpoint(st.peerEndpoint());
            if (st.lastHandshake() != null) {
              s.setLastHandshakeTime(st.lastHandshake().toString());
            }
          });
    } else if (plan.vxlan() != null) {
      s.setMtu(plan.vxlan().mtu());
    }
    s.setConditions(conditions);
    s.setLastUpdateTime(now.toString());
    return s;
  }

  /** The entry a node writes once it removed everything of a Tunnel being deleted. */
  public static NodeStatus removed(String nodeName, NodeStatus previous, Instant now) {
    NodeStatus s = new NodeStatus();
    s.setName(nodeName);
    s.setConditions(
        List.of(
            condition(
                NodeConditions.STATE_REMOVED,
                "True",
                "Removed",
                "this node removed the tunnel's devices, routes, rules and nftables objects",
                previous,
                now)));
    s.setLastUpdateTime(now.toString());
    return s;
  }

  /** What of spec.egress.destinations is not routed, e.g. "; not routed: ::/0 (...)". */
  private static String notCarried(TunnelPlan plan) {
    List<String> ignored = Cidrs.strings(plan.routing().notCarried());
    return ignored.isEmpty()
        ? ""
        : "; not routed: "
            + String.join(", ", ignored)
            + " (status.tunnelAddress6 is not set yet; the kill switch drops the selected pods'"
            + " IPv6)";
  }

  /** The chosen datapath and why, e.g. " (Userspace: the kernel has no gre module)". */
  private static String datapathWhy(TunnelPlan plan) {
    if (plan.device() == null || plan.device().datapathReason() == null) {
      return "";
    }
    String kind = plan.device().datapath() == NodeDatapath.KERNEL ? "Kernel" : "Userspace";
    return " (" + kind + ": " + plan.device().datapathReason() + ")";
  }

  private static String describeNat(TunnelPlan plan, String cniChainProblem) {
    List<String> parts = new ArrayList<>();
    if (plan.nat() instanceof Nat.Snat sn) {
      parts.add("SNAT to " + sn.to() + (sn.to6() == null ? "" : " and " + sn.to6()));
    } else if (plan.nat() instanceof Nat.Masquerade m) {
      parts.add("masquerade out of " + m.outDev());
    } else if (plan.nat() instanceof Nat.IdentitySnat keep) {
      parts.add("source addresses kept out of " + String.join(", ", keep.devs()));
    }
    if (plan.killSwitch() != null) {
      long v6 = plan.killSwitch().pods().stream().filter(Cidr::isIpv6).count();
      long v4 = plan.killSwitch().pods().size() - v6;
      parts.add(
          v6 == 0
              ? "kill switch for " + v4 + " pods"
              : "kill switch for " + v4 + " IPv4 and " + v6 + " IPv6 pod addresses");
      if (plan.killSwitch().ipv6Pods() > 0) {
        // While the Tunnel carries no IPv6: say how many selected pods lose their IPv6 here.
        parts.add(
            plan.killSwitch().ipv6Pods()
                + " of the selected pods on this node have IPv6 addresses: their IPv6 (but"
                + " link-local) is dropped, the Tunnel carries no IPv6 (an IPv6 entry in"
                + " egress.destinations, e.g. ::/0, sends it through the VPS)");
      }
      if (plan.killSwitch().guard() != null) {
        parts.add("guarding selected pods without a known IP");
      }
      if (cniChainProblem != null) {
        parts.add(
            "new pods are not held while the agent is down (CNI plugin not chained: "
                + cniChainProblem
                + ")");
      }
    }
    if (plan.mss() > 0 && (plan.device() != null || plan.vxlan() != null)) {
      parts.add("TCP MSS clamped to " + plan.mss());
    }
    if (plan.inbound() != null && (plan.device() != null || plan.vxlan() != null)) {
      parts.add(
          plan.inbound().opens()
              ? "the far side may open connections from its CIDRs to ours only, else replies"
              : "only replies come in from the far side");
    } else if (plan.device() != null || plan.vxlan() != null) {
      parts.add("forwarding accepted through the tunnel");
    }
    return String.join(", ", parts);
  }

  static Condition condition(
      String type, String status, String reason, String message, NodeStatus previous, Instant now) {
    String since = now.toString();
    if (previous != null && previous.getConditions() != null) {
      for (Condition c : previous.getConditions()) {
        if (type.equals(c.getType())
            && status.equals(c.getStatus())
            && c.getLastTransitionTime() != null) {
          since = c.getLastTransitionTime();
        }
      }
    }
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(since)
        .build();
  }

  private static double round2(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static String truncate(String s) {
    return s.length() > 512 ? s.substring(0, 509) + "..." : s;
  }

  /**
   * Whether two entries differ in more than their timestamp and counters (to rate-limit writes).
   */
  public static boolean sameExceptCounters(NodeStatus a, NodeStatus b) {
    if (a == null || b == null) {
      return false;
    }
    return java.util.Objects.equals(a.getRole(), b.getRole())
        && java.util.Objects.equals(a.getDatapath(), b.getDatapath())
        && java.util.Objects.equals(a.getMtu(), b.getMtu())
        && conditionKey(a).equals(conditionKey(b))
        // Which VPS carries the traffic, and each one's verdict, are news, not counters.
        && java.util.Objects.equals(a.getActivePeer(), b.getActivePeer())
        && java.util.Objects.equals(
            switchKey(a.getLastPeerSwitch()), switchKey(b.getLastPeerSwitch()))
        && pathKey(a).equals(pathKey(b));
  }

  /**
   * Whether {@code now} shows a measurement's first value that {@code shown} lacked: the peer's
   * first RTT, loss or handshake ({@link Reading#firstValueSince}), the first direct RTT, the first
   * bytes ({@link Reading#counted}). The operator copies those into {@code status.peer} at once, as
   * news users wait for; so the gateway writes them at once too.
   */
  public static boolean firstReadings(NodeStatus shown, NodeStatus now) {
    return Reading.of(now).firstValueSince(Reading.of(shown))
        || (shown.getDirectRttMillis() == null && now.getDirectRttMillis() != null)
        || (!Reading.counted(shown.getRxBytes()) && Reading.counted(now.getRxBytes()))
        || (!Reading.counted(shown.getTxBytes()) && Reading.counted(now.getTxBytes()));
  }

  /**
   * Whether, of two entries alike but for counters ({@link #sameExceptCounters}), {@code now} shows
   * a reading that moved: the peer's ({@link Reading#movedFrom}: RTT beyond its jitter, loss, a new
   * handshake), the direct RTT, the endpoint in use, a first byte count, or a backup path's
   * reading. Bytes that grew never count.
   */
  public static boolean readingsMoved(NodeStatus shown, NodeStatus now) {
    if (Reading.of(now).movedFrom(Reading.of(shown))
        || Reading.rttMoved(shown.getDirectRttMillis(), now.getDirectRttMillis())
        || !java.util.Objects.equals(shown.getPeerEndpoint(), now.getPeerEndpoint())
        || Reading.counted(shown.getRxBytes()) != Reading.counted(now.getRxBytes())
        || Reading.counted(shown.getTxBytes()) != Reading.counted(now.getTxBytes())) {
      return true;
    }
    List<PeerPathStatus> a = shown.getPeerPaths() == null ? List.of() : shown.getPeerPaths();
    List<PeerPathStatus> b = now.getPeerPaths() == null ? List.of() : now.getPeerPaths();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      if (Reading.of(b.get(i)).movedFrom(Reading.of(a.get(i)))) {
        return true;
      }
    }
    return false;
  }

  private static String switchKey(PeerSwitch s) {
    return s == null
        ? null
        : s.getTime() + "/" + s.getFrom() + "/" + s.getTo() + "/" + s.getReason();
  }

  private static List<String> pathKey(NodeStatus s) {
    List<String> out = new ArrayList<>();
    if (s.getPeerPaths() != null) {
      for (PeerPathStatus p : s.getPeerPaths()) {
        out.add(
            p.getName()
                + "="
                + p.getHealthy()
                + "/"
                + p.getReason()
                + "/"
                + p.getEndpoint()
                + "/"
                + p.getTunnelAddress()
                + "/"
                + p.getPeerAddress());
      }
    }
    return out;
  }

  private static List<String> conditionKey(NodeStatus s) {
    List<String> out = new ArrayList<>();
    if (s.getConditions() != null) {
      for (Condition c : s.getConditions()) {
        out.add(c.getType() + "=" + c.getStatus() + "/" + c.getReason() + "/" + c.getMessage());
      }
    }
    return out;
  }
}
