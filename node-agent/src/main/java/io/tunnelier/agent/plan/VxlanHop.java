package io.tunnelier.agent.plan;

import io.tunnelier.agent.kernel.Vxlan;

/**
 * The intra-cluster hop. Every node's device of one tunnel uses the same VNI. The active gateway's
 * device has the tunnel's fixed MAC and no remote (it only receives); a member's device points at
 * the gateway's underlay address, and a permanent neighbour entry maps the next hop to the
 * gateway's MAC, so no addresses and no ARP are needed on the hop.
 *
 * @param mac the device's own MAC: the fixed gateway MAC on the gateway, null (kernel's) elsewhere
 * @param nexthop members: the next hop in the tunnel table (the tunnel's inner address); null on
 *     the gateway
 */
public record VxlanHop(
    String name, Vxlan vxlan, String mac, int mtu, String nexthop, String gatewayMac) {}
