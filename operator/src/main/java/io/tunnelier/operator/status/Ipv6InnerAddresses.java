package io.tunnelier.operator.status;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.address.Ipv6Pool;

/**
 * Writes {@code tunnelAddress6}/{@code peerAddress6} beside each IPv4 pair of a status (the
 * Tunnel's and each {@code peerPaths} entry's) when the Tunnel carries IPv6 ({@link
 * Ipv6Pool#carries}), and removes them otherwise. They follow from the IPv4 pair, so they need no
 * recording of their own.
 */
public final class Ipv6InnerAddresses {
  private Ipv6InnerAddresses() {}

  /** Fills (or clears) the IPv6 pairs of {@code status} in place and returns it. */
  public static TunnelStatus fill(Tunnel tunnel, TunnelStatus status, Ipv6Pool pool) {
    if (status == null) {
      return null;
    }
    boolean carries = Ipv6Pool.carries(tunnel);
    AddressPair primary =
        carries ? embedded(status.getTunnelAddress(), status.getPeerAddress(), pool) : null;
    status.setTunnelAddress6(primary == null ? null : primary.local().toString());
    status.setPeerAddress6(primary == null ? null : primary.peer().toString());
    if (status.getPeerPaths() != null) {
      for (PeerPathStatus p : status.getPeerPaths()) {
        AddressPair pair =
            carries ? embedded(p.getTunnelAddress(), p.getPeerAddress(), pool) : null;
        p.setTunnelAddress6(pair == null ? null : pair.local().toString());
        p.setPeerAddress6(pair == null ? null : pair.peer().toString());
      }
    }
    return status;
  }

  private static AddressPair embedded(String local, String peer, Ipv6Pool pool) {
    if (local == null || peer == null) {
      return null;
    }
    try {
      return pool.embed(new AddressPair(Cidr.parseIpv4(local), Cidr.parseIpv4(peer)));
    } catch (IllegalArgumentException e) {
      return null; // not an IPv4 pair: nothing to embed
    }
  }
}
