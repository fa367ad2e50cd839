package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.api.net.Cidr;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The underlay sources a learning GRE tunnel (a VPS) accepts packets from: the cluster's gateway
 * candidates, as CIDRs. Without it, anyone who knows (or guesses) a tunnel's key could make the VPS
 * send that tunnel's traffic to them and use it as an open relay. Checked only when a packet's
 * source is not the current peer, so the steady state costs nothing. Reads the kernel's sockaddr in
 * place; no allocation. An empty list allows every source (a {@code peer.yaml} from before
 * allowedSources existed).
 */
public final class SourceFilter {
  /** Every source: the behaviour without allowedSources. */
  public static final SourceFilter ANY = new SourceFilter(new Cidr[0]);

  private final Cidr[] networks;

  private SourceFilter(Cidr[] networks) {
    this.networks = networks;
  }

  public static SourceFilter of(List<Cidr> cidrs) {
    if (cidrs == null || cidrs.isEmpty()) {
      return ANY;
    }
    return new SourceFilter(cidrs.stream().map(Cidr::network).toArray(Cidr[]::new));
  }

  /** Whether every source is allowed (no list configured). */
  public boolean allowsAny() {
    return networks.length == 0;
  }

  /** Whether the kernel sockaddr at {@code offset} is an allowed source. */
  public boolean allows(ByteBuffer sockaddrs, int offset) {
    if (networks.length == 0) {
      return true;
    }
    // sa_family is in the machine's order (the buffer's), the address in network order.
    int family = sockaddrs.getShort(offset) & 0xFFFF;
    boolean swap = sockaddrs.order() != ByteOrder.BIG_ENDIAN;
    if (family == Endpoint.AF_INET) {
      int address = sockaddrs.getInt(offset + 4);
      address = swap ? Integer.reverseBytes(address) : address;
      for (Cidr network : networks) {
        if (network.containsIpv4(address)) {
          return true;
        }
      }
    } else if (family == Endpoint.AF_INET6) {
      // sockaddr_in6: family 2, port 2, flowinfo 4, then the address.
      long high = sockaddrs.getLong(offset + 8);
      long low = sockaddrs.getLong(offset + 16);
      if (swap) {
        high = Long.reverseBytes(high);
        low = Long.reverseBytes(low);
      }
      for (Cidr network : networks) {
        if (network.containsIpv6(high, low)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    if (networks.length == 0) {
      return "any";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < networks.length; i++) {
      b.append(i == 0 ? "" : ", ").append(networks[i]);
    }
    return b.toString();
  }
}
