package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.api.net.Cidr;
import java.nio.ByteBuffer;
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
    if ((sockaddrs.getShort(offset) & 0xFFFF) != Endpoint.AF_INET) {
      return false; // allowedSources are IPv4 CIDRs
    }
    int address =
        ((sockaddrs.get(offset + 4) & 0xFF) << 24)
            | ((sockaddrs.get(offset + 5) & 0xFF) << 16)
            | ((sockaddrs.get(offset + 6) & 0xFF) << 8)
            | (sockaddrs.get(offset + 7) & 0xFF);
    for (Cidr network : networks) {
      if (network.containsIpv4(address)) {
        return true;
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
