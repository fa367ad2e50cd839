package io.tunnelier.agent.plan;

import io.tunnelier.api.v1alpha1.DatapathMode;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.NodeDatapath;

/**
 * Picks the kernel device or the userspace datapath for a tunnel on this node, and says why. Pure.
 *
 * <p>The kernel's gre device (ip_gre) needs a fixed {@code remote}. A tunnel that learns its peer
 * from the packets (a standalone GRE tunnel without {@code peerEndpoint}: the VPS, whose cluster
 * gateway may move) therefore runs in userspace, where {@code GreTunnel} learns the peer within
 * {@code allowedSources}, even when the module is there. WireGuard's kernel device learns its
 * peer's endpoint itself (roaming), so this applies to GRE only.
 */
public final class DatapathChoice {
  /**
   * The choice and why it was made (a phrase for the log, the status and {@code plan}), or the
   * reason there is none (a message a user can act on).
   */
  public record Result(NodeDatapath datapath, String reason, String problem) {
    static Result of(NodeDatapath d, String reason) {
      return new Result(d, reason, null);
    }

    static Result fail(String problem) {
      return new Result(null, null, problem);
    }
  }

  /** Problems that start with this are reported with reason {@code KernelModuleMissing}. */
  public static final String KERNEL_MODULE_MISSING =
      "datapath Kernel, but this node's kernel has no ";

  /** Why a learning GRE tunnel runs in userspace although the kernel has the module. */
  public static final String PEER_LEARNED =
      "the peer is learned from its packets (no peerEndpoint), and a kernel gre device needs a"
          + " fixed remote";

  private DatapathChoice() {}

  /** Why raw GRE over an IPv6 underlay runs in userspace although the kernel has the module. */
  public static final String GRE_IPV6_UNDERLAY =
      "the kernel's gre device (ip_gre) carries IPv4 underlays only, and the peer is IPv6";

  /** A tunnel with a fixed peer (every in-cluster gateway: {@code spec.peer.endpoint}). */
  public static Result choose(DatapathMode mode, Encapsulation encap, Capabilities caps) {
    return choose(mode, encap, caps, false, false);
  }

  /**
   * @param peerLearned the tunnel has no fixed peer address: it learns it from valid packets
   */
  public static Result choose(
      DatapathMode mode, Encapsulation encap, Capabilities caps, boolean peerLearned) {
    return choose(mode, encap, caps, peerLearned, false);
  }

  /**
   * @param peerLearned the tunnel has no fixed peer address: it learns it from valid packets
   * @param ipv6Underlay the outer header is IPv6 (an [IPv6] endpoint or listen address)
   */
  public static Result choose(
      DatapathMode mode,
      Encapsulation encap,
      Capabilities caps,
      boolean peerLearned,
      boolean ipv6Underlay) {
    DatapathMode m = mode == null ? DatapathMode.AUTO : mode;
    Encapsulation e = encap == null ? Encapsulation.WIREGUARD : encap;
    if (e == Encapsulation.GRE && ipv6Underlay && caps.gre()) {
      // The agent's kernel GRE device is ip_gre's (ip6gre is another module, not probed).
      if (m == DatapathMode.KERNEL) {
        return Result.fail(
            "datapath Kernel, but " + GRE_IPV6_UNDERLAY + ": set datapath to Auto or Userspace");
      }
      if (m == DatapathMode.AUTO) {
        return caps.tun()
            ? Result.of(NodeDatapath.USERSPACE, GRE_IPV6_UNDERLAY)
            : Result.fail(
                GRE_IPV6_UNDERLAY
                    + ", and the userspace datapath needs /dev/net/tun, which this node lacks");
      }
    }
    boolean module =
        switch (e) {
          case GRE -> caps.gre() && !ipv6Underlay;
          case WIREGUARD -> caps.wireguard();
          case GRE_OVER_UDP -> false; // no kernel device for GRE-in-UDP: userspace only
        };
    boolean greLearning = e == Encapsulation.GRE && peerLearned;
    String name = e == Encapsulation.WIREGUARD ? "wireguard" : "gre";
    return switch (m) {
      case KERNEL -> {
        if (e == Encapsulation.GRE_OVER_UDP) {
          yield Result.fail(
              "GREoverUDP runs in the userspace datapath only: set datapath to Auto or Userspace");
        }
        if (!module) {
          yield Result.fail(
              KERNEL_MODULE_MISSING
                  + name
                  + " module: load it, or set datapath to Auto or Userspace");
        }
        if (greLearning) {
          yield Result.fail(
              "datapath Kernel, but a kernel gre device needs a fixed remote and this tunnel"
                  + " learns its peer from its packets: set peerEndpoint, or set datapath to"
                  + " Auto or Userspace");
        }
        yield Result.of(NodeDatapath.KERNEL, "datapath Kernel");
      }
      case USERSPACE ->
          caps.tun()
              ? Result.of(NodeDatapath.USERSPACE, "datapath Userspace")
              : Result.fail("datapath Userspace needs /dev/net/tun, which this node lacks");
      case AUTO -> {
        if (module && !greLearning) {
          yield Result.of(NodeDatapath.KERNEL, "the kernel has the " + name + " module");
        }
        if (!caps.tun()) {
          yield Result.fail(
              module
                  ? "a kernel gre device needs a fixed remote and this tunnel learns its peer (set"
                      + " peerEndpoint), and the userspace datapath needs /dev/net/tun, which"
                      + " this node lacks"
                  : "this node has neither the "
                      + name
                      + " module nor the TUN device (/dev/net/tun)");
        }
        yield Result.of(
            NodeDatapath.USERSPACE,
            e == Encapsulation.GRE_OVER_UDP
                ? "GREoverUDP runs in userspace only"
                : module ? PEER_LEARNED : "the kernel has no " + name + " module");
      }
    };
  }
}
