package io.tunnelier.agent.tunnel;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.gre.KernelGreDatapathFactory;
import io.tunnelier.agent.datapath.gre.UserspaceGreDatapathFactory;
import io.tunnelier.agent.datapath.wireguard.WireGuardDatapath;
import io.tunnelier.agent.datapath.wireguard.WireGuardDatapathFactory;
import io.tunnelier.api.v1alpha1.NodeDatapath;
import java.io.IOException;

/**
 * The four datapaths the agent has, chosen by kind (Kernel or Userspace, from {@link
 * io.tunnelier.agent.plan.DatapathChoice}) and encapsulation. One instance per process: userspace
 * GRE tunnels on the same transport share one socket, kernel GRE-in-UDP tunnels one FOU port.
 */
public final class BuiltInDatapaths implements DatapathOpener {
  /** Opens one encapsulation's datapath (a factory's {@code open}). */
  @FunctionalInterface
  interface Open {
    Datapath open(DatapathConfig config) throws IOException;
  }

  private final Open kernelGre;
  private final Open userspaceGre;
  private final Open kernelWireGuard;
  private final Open userspaceWireGuard;

  public BuiltInDatapaths() {
    this(
        new KernelGreDatapathFactory()::open,
        new UserspaceGreDatapathFactory()::open,
        new WireGuardDatapathFactory(
                WireGuardDatapathFactory.Mode.KERNEL, false, WireGuardDatapath.Options.defaults())
            ::open,
        new WireGuardDatapathFactory(
                WireGuardDatapathFactory.Mode.USERSPACE, true, WireGuardDatapath.Options.defaults())
            ::open);
  }

  BuiltInDatapaths(
      Open kernelGre, Open userspaceGre, Open kernelWireGuard, Open userspaceWireGuard) {
    this.kernelGre = kernelGre;
    this.userspaceGre = userspaceGre;
    this.kernelWireGuard = kernelWireGuard;
    this.userspaceWireGuard = userspaceWireGuard;
  }

  @Override
  public Datapath open(NodeDatapath kind, DatapathConfig config) throws IOException {
    boolean gre = config instanceof DatapathConfig.Gre;
    Open open =
        switch (kind) {
          case KERNEL -> gre ? kernelGre : kernelWireGuard;
          case USERSPACE -> gre ? userspaceGre : userspaceWireGuard;
        };
    return open.open(config);
  }
}
