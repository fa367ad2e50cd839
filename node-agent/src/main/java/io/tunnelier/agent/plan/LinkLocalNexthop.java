package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;

/**
 * The IPv6 next hop over a VXLAN hop, whose ends have IPv4 addresses only. An IPv6 route cannot
 * name an IPv4 gateway (the kernel refuses RTA_VIA for IPv6 outside nexthop objects), so each end
 * gets a link-local next hop, {@code fe80::} with the IPv4 address as its interface identifier, and
 * a permanent neighbour entry with the MAC the hop already uses for that IPv4 address. No address
 * is configured, so nothing answers or sends for it: the entry is the whole resolution.
 */
final class LinkLocalNexthop {
  private LinkLocalNexthop() {}

  /** {@code fe80::a.b.c.d} written as RFC 5952 does, as {@code ip -j} shows it. */
  static String of(String ipv4) {
    int bits = Cidr.parseIpv4(ipv4).ipv4Bits();
    String text =
        "fe80::" + Integer.toHexString(bits >>> 16) + ":" + Integer.toHexString(bits & 0xffff);
    return Cidr.parseAddress(text).ip();
  }
}
