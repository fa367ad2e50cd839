package io.tunnelier.agent.tunnel.providers;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathFactory;
import io.tunnelier.agent.datapath.wireguard.WireGuardDatapath;
import io.tunnelier.agent.datapath.wireguard.WireGuardDatapathFactory;
import io.tunnelier.agent.tunnel.DatapathProvider;
import io.tunnelier.api.v1alpha1.NodeDatapath;

/** Tunnelier's WireGuard implementation over a TUN device and a batched UDP socket. */
public final class UserspaceWireGuardProvider implements DatapathProvider {
  private final WireGuardDatapathFactory factory =
      new WireGuardDatapathFactory(
          WireGuardDatapathFactory.Mode.USERSPACE, true, WireGuardDatapath.Options.defaults());

  @Override
  public boolean supports(NodeDatapath datapath, DatapathConfig config) {
    return datapath == NodeDatapath.USERSPACE && config instanceof DatapathConfig.WireGuard;
  }

  @Override
  public DatapathFactory factory() {
    return factory;
  }
}
