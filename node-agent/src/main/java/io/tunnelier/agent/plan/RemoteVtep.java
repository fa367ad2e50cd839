package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import java.util.List;

/**
 * A member node's end of the VXLAN hop (its VXLAN tunnel end point, RFC 7348), as the gateway sees
 * it: what the tunnel brings for {@code pods} (egress replies, site-to-site traffic) goes over the
 * hop to {@code address}, framed to {@code mac}, so it arrives on the member's hop device, the one
 * its pods' traffic leaves by. Symmetric paths pass strict reverse-path filtering on both nodes.
 *
 * @param address the member's underlay address (its InternalIP)
 * @param mac the member's hop device ({@link TunnelId#memberMac})
 * @param pods its selected pods' addresses (egress), or its pod CIDRs (site-to-site)
 */
public record RemoteVtep(String address, String mac, List<Cidr> pods) {
  public RemoteVtep {
    pods = List.copyOf(pods);
  }
}
