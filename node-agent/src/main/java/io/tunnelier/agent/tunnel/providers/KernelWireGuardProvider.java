package io.tunnelier.agent.tunnel.providers;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathFactory;
import io.tunnelier.agent.datapath.wireguard.WireGuardDatapath;
import io.tunnelier.agent.datapath.wireguard.WireGuardDatapathFactory;
import io.tunnelier.agent.tunnel.DatapathProvider;
import io.tunnelier.api.v1alpha1.NodeDatapath;

/** The kernel's {@code wireguard} device, configured with {@code wg setconf}. */
public final class KernelWireGuardProvider implements DatapathProvider {
  private final WireGuardDatapathFactory factory =
      new WireGuardDatapathFactory(
          WireGuardDatapathFactory.Mode.KERNEL, false, WireGuardDatapath.Options.defaults());

  @Override
  public boolean supports(NodeDatapath datapath, DatapathConfig config) {
    return datapath == NodeDatapath.KERNEL && config instanceof DatapathConfig.WireGuard;
  }

  @Override
  public DatapathFactory factory() {
    return factory;
  }
}
