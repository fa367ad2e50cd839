package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import java.util.List;

/**
 * What may come in to a cluster node through the tunnel device and the VXLAN hop from the far side
 * (the VPS, the other site, or whoever spoofs them): replies to connections this side opened, and,
 * site-to-site, new connections from the far side's CIDRs to this cluster's. Everything else
 * arriving there is dropped and counted, whether it is forwarded (to pods) or addressed to the node
 * itself (the kubelet, the agent's metrics port). Only the peer's echo request to this side's inner
 * address (its RTT probe) is answered besides.
 *
 * @param sources site-to-site: the far side's CIDRs ({@code remoteCIDRs}); empty for egress
 * @param destinations site-to-site: this cluster's CIDRs offered to it ({@code localCIDRs}, else
 *     every Node's pod CIDRs); empty for egress
 * @param vxlanSources the underlay addresses that may send to the VXLAN port: every other Node's
 *     InternalIP (members come and go with pods; a CNI may share the port)
 */
public record Inbound(List<Cidr> sources, List<Cidr> destinations, List<Cidr> vxlanSources) {
  public Inbound {
    sources = List.copyOf(sources);
    destinations = List.copyOf(destinations);
    vxlanSources = List.copyOf(vxlanSources);
  }

  /** Whether the far side may open connections at all (site-to-site). */
  public boolean opens() {
    return !sources.isEmpty() && !destinations.isEmpty();
  }
}
