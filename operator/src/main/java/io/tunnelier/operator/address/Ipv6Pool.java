package io.tunnelier.operator.address;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import io.tunnelier.api.v1alpha1.EgressSpec;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelType;

/**
 * {@code addressPool6}, the /96 IPv6 inner addresses come from: a Tunnel's IPv6 pair is its IPv4
 * pair embedded in the pool's last 32 bits, the way RFC 6052 embeds IPv4 in an IPv6 /96 (pool
 * {@code fd00:7475:6e6e::/96}, pair {@code 100.96.0.2/31} → {@code fd00:7475:6e6e::6460:2/127}). So
 * the IPv6 pair needs no allocator of its own and has the IPv4 pair's guarantees: stable across
 * restarts, never shared.
 */
public record Ipv6Pool(Cidr prefix) {
  public static final String DEFAULT = "fd00:7475:6e6e::/96";

  public Ipv6Pool {
    if (!prefix.isIpv6() || prefix.prefix() != 96 || !prefix.isNetwork()) {
      throw new IllegalArgumentException("not an IPv6 /96 network: " + prefix);
    }
  }

  /**
   * Parses {@code setting}'s value: an IPv6 /96 network.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Ipv6Pool parse(String setting, String text) {
    Cidr parsed;
    try {
      parsed = text == null || !text.contains("/") ? null : Cidr.parse(text);
    } catch (IllegalArgumentException e) {
      parsed = null;
    }
    if (parsed == null || !parsed.isIpv6() || parsed.prefix() != 96 || !parsed.isNetwork()) {
      throw new IllegalArgumentException(
          setting
              + ": '"
              + text
              + "' is not an IPv6 /96 network such as "
              + DEFAULT
              + " (the IPv4 inner addresses fill its last 32 bits)");
    }
    if (parsed.isLinkLocal() || parsed.isIpv4Mapped()) {
      throw new IllegalArgumentException(
          setting + " " + text + " is link-local or IPv4-mapped: use a ULA /96 such as " + DEFAULT);
    }
    return new Ipv6Pool(parsed);
  }

  /** The IPv6 pair of an IPv4 pair: each address embedded, the prefix length 96 longer. */
  public AddressPair embed(AddressPair ipv4) {
    return new AddressPair(embed(ipv4.local()), embed(ipv4.peer()));
  }

  private Cidr embed(Cidr ipv4) {
    if (!ipv4.isIpv4()) {
      throw new IllegalArgumentException("not an IPv4 inner address: " + ipv4);
    }
    return new Cidr(
        IpFamily.IPV6,
        prefix.high(),
        prefix.low() | (ipv4.ipv4Bits() & 0xffffffffL),
        96 + ipv4.prefix());
  }

  /**
   * Whether a Tunnel carries IPv6 and so gets IPv6 inner addresses: an Egress Tunnel with an IPv6
   * destination. Others have none, so an IPv4-only Tunnel is programmed exactly as before.
   */
  public static boolean carries(Tunnel tunnel) {
    if (tunnel.getSpec() == null || tunnel.getSpec().getType() != TunnelType.EGRESS) {
      return false;
    }
    EgressSpec egress = tunnel.getSpec().getEgress();
    if (egress == null || egress.getDestinations() == null) {
      return false;
    }
    return egress.getDestinations().stream().anyMatch(d -> d != null && parsesAsIpv6(d));
  }

  private static boolean parsesAsIpv6(String cidr) {
    try {
      return Cidr.parse(cidr).isIpv6();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
