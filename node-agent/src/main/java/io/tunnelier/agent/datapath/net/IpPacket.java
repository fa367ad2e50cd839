package io.tunnelier.agent.datapath.net;

import java.nio.ByteBuffer;

/**
 * Field access for IPv4 (RFC 791) and IPv6 (RFC 8200) headers in big-endian packet memory, at an
 * absolute index. Only what the datapath needs: no allocation, no validation beyond what is asked.
 */
public final class IpPacket {
  public static final int IPV4_HEADER = 20;
  public static final int IPV6_HEADER = 40;
  public static final int PROTOCOL_ICMP = 1;
  public static final int PROTOCOL_TCP = 6;
  public static final int PROTOCOL_UDP = 17;
  public static final int PROTOCOL_GRE = 47;
  public static final int PROTOCOL_ICMPV6 = 58;

  private IpPacket() {}

  /** The version nibble (4 or 6), or 0 for an empty packet. */
  public static int version(ByteBuffer b, int ip, int length) {
    return length < 1 ? 0 : (b.get(ip) & 0xF0) >>> 4;
  }

  public static int ipv4HeaderLength(ByteBuffer b, int ip) {
    return (b.get(ip) & 0x0F) * 4;
  }

  public static int ipv4TotalLength(ByteBuffer b, int ip) {
    return b.getShort(ip + 2) & 0xFFFF;
  }

  public static boolean ipv4DontFragment(ByteBuffer b, int ip) {
    return (b.get(ip + 6) & 0x40) != 0;
  }

  /** Whether this IPv4 packet is a fragment (more-fragments set or a non-zero offset). */
  public static boolean ipv4IsFragment(ByteBuffer b, int ip) {
    return (b.getShort(ip + 6) & 0x3FFF) != 0;
  }

  public static int ipv4Protocol(ByteBuffer b, int ip) {
    return b.get(ip + 9) & 0xFF;
  }

  public static int ipv4Source(ByteBuffer b, int ip) {
    return b.getInt(ip + 12);
  }

  public static int ipv4Destination(ByteBuffer b, int ip) {
    return b.getInt(ip + 16);
  }

  /** Recomputes the IPv4 header checksum in place. */
  public static void ipv4UpdateChecksum(ByteBuffer b, int ip) {
    b.putShort(ip + 10, (short) 0);
    b.putShort(ip + 10, (short) Checksum.compute(b, ip, ipv4HeaderLength(b, ip)));
  }

  public static int ipv6PayloadLength(ByteBuffer b, int ip) {
    return b.getShort(ip + 4) & 0xFFFF;
  }

  public static int ipv6NextHeader(ByteBuffer b, int ip) {
    return b.get(ip + 6) & 0xFF;
  }
}
