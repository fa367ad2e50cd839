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
    if (length >= 64 && buffer.isDirect()) {
      if (offset < 0 || length < 0 || offset + length > buffer.capacity()) {
        throw new IndexOutOfBoundsException(offset + "+" + length + " > " + buffer.capacity());
      }
      int bulk = length & ~15;
      sum += addNative(Memory.address(buffer) + offset, bulk);
      offset += bulk;
      length -= bulk;
    }
    return addBuffer(sum, buffer, offset, length);
  }

  /**
   * Copies {@code src[from, from+length)} to {@code dst[to, to+length)} (direct buffers, regions
   * not overlapping) and adds the copied words to {@code sum}: one pass over the data instead of a
   * copy and a checksum pass, for segmentation.
   */
  public static long copyAndAdd(
      long sum, ByteBuffer src, int from, ByteBuffer dst, int to, int length) {
    if (length >= 64 && src.isDirect() && dst.isDirect()) {
      if (from < 0
          || to < 0
          || length < 0
          || from + length > src.capacity()
          || to + length > dst.capacity()) {
        throw new IndexOutOfBoundsException("copy of " + length + " bytes out of bounds");
      }
      int bulk = length & ~15;
      long s0 = 0;
      long s1 = 0;
      long a = Memory.address(src) + from;
      long b = Memory.address(dst) + to;
      long end = a + bulk;
      for (; a < end; a += 16, b += 16) {
        long v = Memory.getLong(a);
        long w = Memory.getLong(a + 8);
        Memory.putLong(b, v);
        Memory.putLong(b + 8, w);
        s0 += (v & 0xFFFFFFFFL) + (v >>> 32);
        s1 += (w & 0xFFFFFFFFL) + (w >>> 32);
      }
      int folded = fold(s0 + s1);
      sum += Memory.LITTLE_ENDIAN ? ((folded & 0xFF) << 8) | (folded >>> 8) : folded;
      from += bulk;
      to += bulk;
      length -= bulk;
    }
    dst.put(to, src, from, length);
    return addBuffer(sum, dst, to, length);
  }

  /**
   * The sum of {@code length} (a multiple of 16) bytes of native memory, as a network-order 16-bit
   * value. Loads are in the machine's order, and the one's complement sum of byte-swapped words is
   * the byte-swapped sum (RFC 1071 2(B)), so one swap of the folded result puts it right.
   */
  private static int addNative(long address, int length) {
    long s0 = 0;
    long s1 = 0;
    long end = address + length;
    for (long a = address; a < end; a += 16) {
      long v = Memory.getLong(a);
      long w = Memory.getLong(a + 8);
      s0 += (v & 0xFFFFFFFFL) + (v >>> 32);
      s1 += (w & 0xFFFFFFFFL) + (w >>> 32);
    }
    int folded = fold(s0 + s1);
    return Memory.LITTLE_ENDIAN ? ((folded & 0xFF) << 8) | (folded >>> 8) : folded;
  }

  private static long addBuffer(long sum, ByteBuffer buffer, int offset, int length) {
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
