package io.tunnelier.agent.plan;

import io.tunnelier.agent.kernel.Vxlan;
import java.util.List;

/**
 * The intra-cluster hop. Every node's device of one tunnel uses the same VNI. The active gateway's
 * device has the tunnel's fixed MAC and no remote; a member's device has its own fixed MAC and
 * points at the gateway's underlay address, and a permanent neighbour entry maps the next hop to
 * the gateway's MAC, so no addresses and no ARP are needed on the hop. On the gateway, {@code
 * members} are where what the tunnel brings for members' pods goes: back over the hop, not through
 * the pod network.
 *
 * @param mac the device's own MAC: the fixed gateway MAC on the gateway, the member's elsewhere
 * @param nexthop members: the next hop in the tunnel table (the tunnel's inner address); null on
 *     the gateway
 * @param members gateway: the member nodes with selected pods (egress), every other node with pod
 *     CIDRs (site-to-site); empty elsewhere
 */
public record VxlanHop(
    String name,
    Vxlan vxlan,
    String mac,
    int mtu,
    String nexthop,
    String gatewayMac,
    List<RemoteVtep> members) {
  public VxlanHop {
    members = List.copyOf(members);
  }
}
