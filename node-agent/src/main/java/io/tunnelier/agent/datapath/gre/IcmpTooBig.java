package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.net.Checksum;
import io.tunnelier.agent.datapath.net.IpPacket;
import java.nio.ByteBuffer;

/**
 * Builds the "packet too big" answer for an inner packet the tunnel cannot carry, so path-MTU
 * discovery works through the tunnel: ICMP destination unreachable, fragmentation needed (type 3
 * code 4, RFC 792/1191) with the next-hop MTU for IPv4 with DF, ICMPv6 Packet Too Big (type 2, RFC
 * 4443) for IPv6. The answer goes back into the TUN device toward the sender, from the original
 * destination's address (the direction replies come from, so reverse-path filters on the sender's
 * side accept it). Pure: writes into a buffer.
 */
public final class IcmpTooBig {
  /** RFC 1812 4.3.2.3: quote as much of the original as fits in 576 bytes. */
  private static final int IPV4_MAX = 576;

  /** RFC 4443 2.4(c): as much as fits in the IPv6 minimum MTU. */
  private static final int IPV6_MAX = 1280;

  private IcmpTooBig() {}

  /**
   * Whether the IPv4/IPv6 packet deserves an answer at all: not to ICMP errors (RFC 1122 3.2.2, RFC
   * 4443 2.4(e)), not to non-first fragments, not from unspecified or multicast sources.
   */
  public static boolean shouldAnswer(ByteBuffer b, int ip, int length) {
    int version = IpPacket.version(b, ip, length);
    if (version == 4) {
      if (length < IpPacket.IPV4_HEADER || (b.getShort(ip + 6) & 0x1FFF) != 0) {
        return false;
      }
      int src = IpPacket.ipv4Source(b, ip);
      if (src == 0 || (src >>> 28) == 0xE || src == -1) {
        return false;
      }
      if (IpPacket.ipv4Protocol(b, ip) == IpPacket.PROTOCOL_ICMP) {
        int icmp = ip + IpPacket.ipv4HeaderLength(b, ip);
        if (icmp >= ip + length) {
          return false;
        }
        int type = b.get(icmp) & 0xFF;
        return type == 0 || type == 8 || type == 13 || type == 14; // echo, timestamp: queries
      }
      return true;
    }
    if (version == 6) {
      if (length < IpPacket.IPV6_HEADER || (b.get(ip + 8) & 0xFF) == 0xFF) {
        return false; // multicast source
      }
      if (b.getLong(ip + 8) == 0 && b.getLong(ip + 16) == 0) {
        return false; // unspecified source
      }
      if (IpPacket.ipv6NextHeader(b, ip) == IpPacket.PROTOCOL_ICMPV6) {
        return length > IpPacket.IPV6_HEADER && (b.get(ip + 40) & 0xFF) >= 128; // informational
      }
      return true;
    }
    return false;
  }

  /**
   * Writes the answer to the packet at {@code in[ip, ip+length)} into {@code out} at {@code at}
   * (room for {@link #maxLength()} bytes) and returns its length.
   */
  public static int write(ByteBuffer in, int ip, int length, int mtu, ByteBuffer out, int at) {
    return IpPacket.version(in, ip, length) == 4
        ? writeIpv4(in, ip, length, mtu, out, at)
        : writeIpv6(in, ip, length, mtu, out, at);
  }

  public static int maxLength() {
    return IPV6_MAX;
  }

  private static int writeIpv4(ByteBuffer in, int ip, int length, int mtu, ByteBuffer out, int at) {
    int quoted = Math.min(length, IPV4_MAX - IpPacket.IPV4_HEADER - 8);
    int total = IpPacket.IPV4_HEADER + 8 + quoted;
    out.put(at, (byte) 0x45);
    out.put(at + 1, (byte) 0xC0); // precedence "internetwork control", as routers send ICMP
    out.putShort(at + 2, (short) total);
    out.putInt(at + 4, 0); // id, flags, fragment offset
    out.put(at + 8, (byte) 64);
    out.put(at + 9, (byte) IpPacket.PROTOCOL_ICMP);
    out.putInt(at + 12, IpPacket.ipv4Destination(in, ip));
    out.putInt(at + 16, IpPacket.ipv4Source(in, ip));
    IpPacket.ipv4UpdateChecksum(out, at);
    int icmp = at + IpPacket.IPV4_HEADER;
    out.put(icmp, (byte) 3);
    out.put(icmp + 1, (byte) 4);
    out.putShort(icmp + 2, (short) 0);
    out.putShort(icmp + 4, (short) 0);
    out.putShort(icmp + 6, (short) mtu);
    out.put(icmp + 8, in, ip, quoted);
    out.putShort(icmp + 2, (short) Checksum.compute(out, icmp, 8 + quoted));
    return total;
  }

  private static int writeIpv6(ByteBuffer in, int ip, int length, int mtu, ByteBuffer out, int at) {
    int quoted = Math.min(length, IPV6_MAX - IpPacket.IPV6_HEADER - 8);
    int payload = 8 + quoted;
    out.putInt(at, 0x60000000);
    out.putShort(at + 4, (short) payload);
    out.put(at + 6, (byte) IpPacket.PROTOCOL_ICMPV6);
    out.put(at + 7, (byte) 64);
    out.put(at + 8, in, ip + 24, 16); // from the original destination
    out.put(at + 24, in, ip + 8, 16); // to the original source
    int icmp = at + IpPacket.IPV6_HEADER;
    out.put(icmp, (byte) 2);
    out.put(icmp + 1, (byte) 0);
    out.putShort(icmp + 2, (short) 0);
    out.putInt(icmp + 4, mtu);
    out.put(icmp + 8, in, ip, quoted);
    long sum = Checksum.pseudoHeaderIpv6(out, at, IpPacket.PROTOCOL_ICMPV6, payload);
    out.putShort(icmp + 2, (short) Checksum.finish(Checksum.add(sum, out, icmp, payload)));
    return IpPacket.IPV6_HEADER + payload;
  }
}
