package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.api.peerconfig.Ipv4Cidr;
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
  public static final SourceFilter ANY = new SourceFilter(new int[0], new int[0]);

  private final int[] networks;
  private final int[] masks;

  private SourceFilter(int[] networks, int[] masks) {
    this.networks = networks;
    this.masks = masks;
  }

  public static SourceFilter of(List<Ipv4Cidr> cidrs) {
    if (cidrs == null || cidrs.isEmpty()) {
      return ANY;
    }
    int[] networks = new int[cidrs.size()];
    int[] masks = new int[cidrs.size()];
    for (int i = 0; i < cidrs.size(); i++) {
      masks[i] = cidrs.get(i).mask();
      networks[i] = cidrs.get(i).address() & masks[i];
    }
    return new SourceFilter(networks, masks);
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
    for (int i = 0; i < networks.length; i++) {
      if ((address & masks[i]) == networks[i]) {
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
      b.append(i == 0 ? "" : ", ")
          .append(new Ipv4Cidr(networks[i], Integer.bitCount(masks[i])).network());
    }
    return b.toString();
  }
}
