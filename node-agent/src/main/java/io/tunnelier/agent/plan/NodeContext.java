package io.tunnelier.agent.plan;

import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.api.net.Cidr;
import java.util.List;

/**
 * Facts about this host that the planners take as input: its name, its way out (default route
 * device, MTU, address), what its kernel can do, the cluster CIDRs that never go through an egress
 * tunnel (besides the Nodes' pod CIDRs), the VXLAN port of the intra-cluster hop, and for the
 * Tunnels with backup peers the peer the gateway's health checks chose (by Tunnel key).
 */
public record NodeContext(
    String nodeName,
    Underlay underlay,
    Capabilities capabilities,
    List<Cidr> clusterCidrs,
    int vxlanPort,
    java.util.Map<String, String> activePeers) {
  public static final int DEFAULT_VXLAN_PORT = 4789;

  public NodeContext {
    clusterCidrs = List.copyOf(clusterCidrs);
    activePeers = activePeers == null ? java.util.Map.of() : java.util.Map.copyOf(activePeers);
  }

  public NodeContext(
      String nodeName,
      Underlay underlay,
      Capabilities capabilities,
      List<Cidr> clusterCidrs,
      int vxlanPort) {
    this(nodeName, underlay, capabilities, clusterCidrs, vxlanPort, java.util.Map.of());
  }
}
