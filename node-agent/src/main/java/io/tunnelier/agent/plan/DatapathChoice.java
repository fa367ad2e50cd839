package io.tunnelier.agent.plan;

import io.tunnelier.api.v1alpha1.DatapathMode;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.NodeDatapath;

/** Picks the kernel device or the userspace datapath for a tunnel on this node. Pure. */
public final class DatapathChoice {
  /** The choice, or the reason there is none (a message a user can act on). */
  public record Result(NodeDatapath datapath, String problem) {
    static Result of(NodeDatapath d) {
      return new Result(d, null);
    }

    static Result fail(String problem) {
      return new Result(null, problem);
    }
  }

  /** Problems that start with this are reported with reason {@code KernelModuleMissing}. */
  public static final String KERNEL_MODULE_MISSING =
      "datapath Kernel, but this node's kernel has no ";

  private DatapathChoice() {}

  public static Result choose(DatapathMode mode, Encapsulation encap, Capabilities caps) {
    DatapathMode m = mode == null ? DatapathMode.AUTO : mode;
    Encapsulation e = encap == null ? Encapsulation.WIREGUARD : encap;
    boolean kernel =
        switch (e) {
          case GRE -> caps.gre();
          case WIREGUARD -> caps.wireguard();
          case GRE_OVER_UDP -> false; // no kernel device for GRE-in-UDP: userspace only
        };
    String module = e == Encapsulation.WIREGUARD ? "wireguard" : "gre";
    return switch (m) {
      case KERNEL -> {
        if (e == Encapsulation.GRE_OVER_UDP) {
          yield Result.fail(
              "GREoverUDP runs in the userspace datapath only: set datapath to Auto or Userspace");
        }
        yield kernel
            ? Result.of(NodeDatapath.KERNEL)
            : Result.fail(
                KERNEL_MODULE_MISSING
                    + module
                    + " module: load it, or set datapath to Auto or Userspace");
      }
      case USERSPACE ->
          caps.tun()
              ? Result.of(NodeDatapath.USERSPACE)
              : Result.fail("datapath Userspace needs /dev/net/tun, which this node lacks");
      case AUTO -> {
        if (kernel) {
          yield Result.of(NodeDatapath.KERNEL);
        }
        yield caps.tun()
            ? Result.of(NodeDatapath.USERSPACE)
            : Result.fail(
                "this node has neither the "
                    + module
                    + " module nor the TUN device (/dev/net/tun)");
      }
    };
  }
}
