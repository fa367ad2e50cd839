package io.tunnelier.agent.plan;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.NodeDatapath;

/**
 * The tunnel device on a gateway or standalone peer: opened through the datapath, then given its
 * inner address.
 *
 * @param peerInner the peer's inner address: next hop of everything routed into the tunnel
 * @param datapathReason why this datapath ({@link DatapathChoice.Result#reason()}): logged when it
 *     opens, shown by {@code plan} and in the node's status
 * @param config what the datapath needs; null when it cannot be built (see the plan's problem)
 * @param address6 this end's IPv6 inner address when the tunnel carries IPv6 (egress); null
 *     otherwise. IPv6 is routed onto the point-to-point device without a next hop.
 */
public record TunnelDevice(
    String name,
    Cidr address,
    String peerInner,
    int mtu,
    NodeDatapath datapath,
    String datapathReason,
    DatapathConfig config,
    Cidr address6) {
  public TunnelDevice(
      String name,
      Cidr address,
      String peerInner,
      int mtu,
      NodeDatapath datapath,
      String datapathReason,
      DatapathConfig config) {
    this(name, address, peerInner, mtu, datapath, datapathReason, config, null);
  }
}
