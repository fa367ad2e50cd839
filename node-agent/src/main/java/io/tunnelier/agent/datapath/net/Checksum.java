package io.tunnelier.agent.datapath.net;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071) over big-endian packet memory: IPv4 header, ICMP, TCP, UDP and
 * the optional GRE checksum. Sums are kept unfolded in a {@code long} so partial sums (a pseudo
 * header, then a payload) add up without folding in between; since 2^16 = 1 modulo 0xFFFF, 32-bit
 * and 64-bit words can be added as they are and folded once at the end.
 */
public final class Checksum {
  private Checksum() {}

  /** Adds the 16-bit words of {@code buffer[offset, offset+length)} to {@code sum}. */
  public static long add(long sum, ByteBuffer buffer, int offset, int length) {
    int i = offset;
    int end = offset + length;
    // Eight bytes per step as two 32-bit halves: the long never overflows for packet sizes.
    for (; i + 8 <= end; i += 8) {
      long v = buffer.getLong(i);
      sum += (v >>> 32) + (v & 0xFFFFFFFFL);
    }
    if (i + 4 <= end) {
      sum += buffer.getInt(i) & 0xFFFFFFFFL;
      i += 4;
    }
    if (i + 2 <= end) {
      sum += buffer.getShort(i) & 0xFFFF;
      i += 2;
    }
    if (i < end) {
      sum += (buffer.get(i) & 0xFF) << 8;
    }
    return sum;
  }

  /** Folds a sum to 16 bits (the one's complement sum, not yet complemented). */
  public static int fold(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) sum;
  }

  /** The checksum field value: the complement of the folded sum. */
  public static int finish(long sum) {
    return ~fold(sum) & 0xFFFF;
  }

  /** Checksum of a region (which, if it contains its own checksum field, must hold zero there). */
  public static int compute(ByteBuffer buffer, int offset, int length) {
    return finish(add(0, buffer, offset, length));
  }

  /** Whether a region whose checksum field is filled in sums to 0xFFFF, i.e. is intact. */
  public static boolean verify(ByteBuffer buffer, int offset, int length) {
    return fold(add(0, buffer, offset, length)) == 0xFFFF;
  }

  /**
   * Sum of the IPv4 pseudo header (RFC 793/768) for the IPv4 packet at {@code ip}: source,
   * destination, protocol and the given transport length.
   */
  public static long pseudoHeaderIpv4(
      ByteBuffer buffer, int ip, int protocol, int transportLength) {
    long sum = buffer.getInt(ip + 12) & 0xFFFFFFFFL;
    sum += buffer.getInt(ip + 16) & 0xFFFFFFFFL;
    return sum + protocol + transportLength;
  }

  /** Sum of the IPv6 pseudo header (RFC 8200 8.1) for the IPv6 packet at {@code ip}. */
  public static long pseudoHeaderIpv6(
      ByteBuffer buffer, int ip, int protocol, int transportLength) {
    long sum = add(0, buffer, ip + 8, 32);
    return sum + protocol + transportLength;
  }
}
