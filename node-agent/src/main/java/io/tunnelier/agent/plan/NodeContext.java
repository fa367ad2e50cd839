package io.tunnelier.agent.plan;

import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.api.net.Cidr;
import java.util.List;

/**
 * Facts about this host that the planners take as input: its name, its way out (default route
 * device, MTU, address), what its kernel can do, the cluster CIDRs that never go through an egress
 * tunnel (besides the Nodes' pod CIDRs), and the VXLAN port of the intra-cluster hop.
 */
public record NodeContext(
    String nodeName,
    Underlay underlay,
    Capabilities capabilities,
    List<Cidr> clusterCidrs,
    int vxlanPort) {
  public static final int DEFAULT_VXLAN_PORT = 4789;

  public NodeContext {
    clusterCidrs = List.copyOf(clusterCidrs);
  }
}
