package io.tunnelier.agent.datapath.net;

import java.nio.ByteBuffer;

/** Builds well-formed IPv4/IPv6 test packets (TCP, UDP, ICMP) with correct checksums. */
public final class Packets {
  public static final int TCP_FIN = 0x01;
  public static final int TCP_SYN = 0x02;
  public static final int TCP_PSH = 0x08;
  public static final int TCP_ACK = 0x10;

  private Packets() {}

  public static byte[] ipv4(int src, int dst, int protocol, boolean dontFragment, byte[] l4) {
    ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
    b.put(0, (byte) 0x45);
    b.putShort(2, (short) (20 + l4.length));
    b.putShort(4, (short) 0x1234);
    b.putShort(6, (short) (dontFragment ? 0x4000 : 0));
    b.put(8, (byte) 64);
    b.put(9, (byte) protocol);
    b.putInt(12, src);
    b.putInt(16, dst);
    b.put(20, l4);
    IpPacket.ipv4UpdateChecksum(b, 0);
    fixTransportChecksum(b, 0, 20 + l4.length);
    return b.array();
  }

  public static byte[] ipv6(byte[] src, byte[] dst, int nextHeader, byte[] l4) {
    ByteBuffer b = ByteBuffer.allocate(40 + l4.length);
    b.putInt(0, 0x60000000);
    b.putShort(4, (short) l4.length);
    b.put(6, (byte) nextHeader);
    b.put(7, (byte) 64);
    b.put(8, src);
    b.put(24, dst);
    b.put(40, l4);
    fixTransportChecksum(b, 0, 40 + l4.length);
    return b.array();
  }

  /** A TCP header (20 bytes, or 32 with a timestamp option) plus payload; checksum left 0. */
  public static byte[] tcp(
      int sport, int dport, int seq, int ack, int flags, int window, int tsval, byte[] payload) {
    int header = tsval != 0 ? 32 : 20;
    ByteBuffer b = ByteBuffer.allocate(header + payload.length);
    b.putShort(0, (short) sport);
    b.putShort(2, (short) dport);
    b.putInt(4, seq);
    b.putInt(8, ack);
    b.put(12, (byte) ((header / 4) << 4));
    b.put(13, (byte) flags);
    b.putShort(14, (short) window);
    if (tsval != 0) {
      b.put(20, (byte) 1);
      b.put(21, (byte) 1);
      b.put(22, (byte) 8);
      b.put(23, (byte) 10);
      b.putInt(24, tsval);
      b.putInt(28, 0);
    }
    b.put(header, payload);
    return b.array();
  }

  public static byte[] udp(int sport, int dport, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.putShort(0, (short) sport);
    b.putShort(2, (short) dport);
    b.putShort(4, (short) (8 + payload.length));
    b.put(8, payload);
    return b.array();
  }

  /** An ICMP (or ICMPv6) echo request with an identifier, sequence and payload. */
  public static byte[] echoRequest(boolean v6, int id, int seq, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.put(0, (byte) (v6 ? 128 : 8));
    b.putShort(4, (short) id);
    b.putShort(6, (short) seq);
    b.put(8, payload);
    if (!v6) {
      b.putShort(2, (short) Checksum.compute(b, 0, b.capacity()));
    }
    return b.array();
  }

  public static byte[] pattern(int length, int seed) {
    byte[] p = new byte[length];
    for (int i = 0; i < length; i++) {
      p[i] = (byte) (seed * 31 + i * 7);
    }
    return p;
  }

  public static int ipv4(String dotted) {
    String[] parts = dotted.split("\\.");
    int v = 0;
    for (String p : parts) {
      v = (v << 8) | Integer.parseInt(p);
    }
    return v;
  }

  /** Whether the TCP/UDP/ICMPv6 checksum of an IP packet verifies. */
  public static boolean transportChecksumValid(ByteBuffer b, int ip, int length) {
    int version = IpPacket.version(b, ip, length);
    int l4 = version == 4 ? ip + IpPacket.ipv4HeaderLength(b, ip) : ip + 40;
    int protocol = version == 4 ? IpPacket.ipv4Protocol(b, ip) : IpPacket.ipv6NextHeader(b, ip);
    int l4Length = length - (l4 - ip);
    long sum;
    if (protocol == IpPacket.PROTOCOL_ICMP) {
      sum = 0;
    } else {
      sum =
          version == 4
              ? Checksum.pseudoHeaderIpv4(b, ip, protocol, l4Length)
              : Checksum.pseudoHeaderIpv6(b, ip, protocol, l4Length);
    }
    return Checksum.fold(Checksum.add(sum, b, l4, l4Length)) == 0xFFFF;
  }

  private static void fixTransportChecksum(ByteBuffer b, int ip, int length) {
    int version = IpPacket.version(b, ip, length);
    int l4 = version == 4 ? ip + IpPacket.ipv4HeaderLength(b, ip) : ip + 40;
    int protocol = version == 4 ? IpPacket.ipv4Protocol(b, ip) : IpPacket.ipv6NextHeader(b, ip);
    int l4Length = length - (l4 - ip);
    int field;
    switch (protocol) {
      case IpPacket.PROTOCOL_TCP -> field = 16;
      case IpPacket.PROTOCOL_UDP -> field = 6;
      case IpPacket.PROTOCOL_ICMPV6 -> field = 2;
      default -> {
        return;
      }
    }
    b.putShort(l4 + field, (short) 0);
    long sum =
        version == 4
            ? Checksum.pseudoHeaderIpv4(b, ip, protocol, l4Length)
            : Checksum.pseudoHeaderIpv6(b, ip, protocol, l4Length);
    int c = Checksum.finish(Checksum.add(sum, b, l4, l4Length));
    b.putShort(l4 + field, (short) (c == 0 && protocol == IpPacket.PROTOCOL_UDP ? 0xFFFF : c));
  }
}
