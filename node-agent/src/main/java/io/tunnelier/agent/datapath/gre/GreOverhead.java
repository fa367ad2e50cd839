package io.tunnelier.agent.datapath.gre;

/**
 * Bytes the encapsulation adds to every inner packet, and the tunnel MTU that leaves room for them:
 * outer IPv4 20 (IPv6 40) + GRE 4 + key 4 + sequence 4 + checksum 4 (+ UDP 8 for GRE-in-UDP). Pure
 * functions.
 */
public final class GreOverhead {
  public static final int IPV4 = 20;
  public static final int IPV6 = 40;
  public static final int UDP = 8;

  private GreOverhead() {}

  public static int bytes(
      boolean ipv6Underlay, boolean udp, boolean key, boolean sequence, boolean checksum) {
    return (ipv6Underlay ? IPV6 : IPV4)
        + (udp ? UDP : 0)
        + GreHeader.length(checksum, key, sequence);
  }

  /** The largest inner packet that crosses an underlay of {@code underlayMtu} unfragmented. */
  public static int tunnelMtu(int underlayMtu, int overhead) {
    return underlayMtu - overhead;
  }
}
