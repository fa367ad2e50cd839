package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.net.Checksum;
import java.nio.ByteBuffer;

/**
 * Parses and builds GRE headers (RFC 2784, RFC 2890) in place in big-endian packet memory. The same
 * bytes travel over IP protocol 47 and inside UDP (GRE-in-UDP, RFC 8086). No allocation, no
 * exceptions: a malformed header yields a {@link GreDrop}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |C|R|K|S|s|Rec|Reserved0|Ver  |         Protocol Type         |
 * |      Checksum (optional)      |      Reserved1 (optional)     |
 * |                         Key (optional)                        |
 * |                 Sequence Number (optional)                    |
 * </pre>
 */
public final class GreCodec {
  private static final int MUST_BE_ZERO =
      GreHeader.FLAG_ROUTING | GreHeader.FLAG_STRICT_ROUTE | GreHeader.FLAG_RECURSION_HIGH;

  private GreCodec() {}

  /**
   * Parses the GRE header at {@code b[offset, offset+length)} into {@code out} and checks it:
   * version 0, no RFC 1701 routing bits, the announced fields present, a valid checksum when there
   * is one, an IPv4 or IPv6 payload whose version nibble agrees with the protocol type.
   *
   * @return null when the packet is good, otherwise why to drop it
   */
  public static GreDrop decode(ByteBuffer b, int offset, int length, GreHeader out) {
    if (length < GreHeader.BASE_LENGTH) {
      return GreDrop.TRUNCATED;
    }
    int flags = b.getShort(offset) & 0xFFFF;
    if ((flags & GreHeader.VERSION_MASK) != 0) {
      return GreDrop.BAD_VERSION;
    }
    if ((flags & MUST_BE_ZERO) != 0) {
      return GreDrop.UNKNOWN_FLAGS;
    }
    out.hasChecksum = (flags & GreHeader.FLAG_CHECKSUM) != 0;
    out.hasKey = (flags & GreHeader.FLAG_KEY) != 0;
    out.hasSequence = (flags & GreHeader.FLAG_SEQUENCE) != 0;
    out.protocol = b.getShort(offset + 2) & 0xFFFF;
    out.length = GreHeader.length(out.hasChecksum, out.hasKey, out.hasSequence);
    if (length < out.length) {
      return GreDrop.TRUNCATED;
    }
    int at = offset + GreHeader.BASE_LENGTH;
    if (out.hasChecksum) {
      // RFC 2784 2.5: the checksum covers the GRE header and the payload.
      if (!Checksum.verify(b, offset, length)) {
        return GreDrop.BAD_CHECKSUM;
      }
      at += 4;
    }
    out.key = 0;
    if (out.hasKey) {
      out.key = b.getInt(at) & 0xFFFFFFFFL;
      at += 4;
    }
    out.sequence = 0;
    if (out.hasSequence) {
      out.sequence = b.getInt(at) & 0xFFFFFFFFL;
    }
    int inner = offset + out.length;
    int innerLength = length - out.length;
    if (out.protocol == GreHeader.PROTOCOL_IPV4) {
      return innerLength >= 20 && (b.get(inner) & 0xF0) == 0x40 ? null : GreDrop.BAD_INNER_PACKET;
    }
    if (out.protocol == GreHeader.PROTOCOL_IPV6) {
      return innerLength >= 40 && (b.get(inner) & 0xF0) == 0x60 ? null : GreDrop.BAD_INNER_PACKET;
    }
    return GreDrop.UNKNOWN_PROTOCOL;
  }

  /**
   * Writes a GRE header right in front of the payload at {@code b[payload, payload+payloadLength)}
   * (into the header room) and returns the index where the header starts.
   *
   * @param key the key to send, or a negative value for no key
   * @param sequence the sequence number to send, or a negative value for none
   */
  public static int encode(
      ByteBuffer b,
      int payload,
      int payloadLength,
      int protocol,
      boolean checksum,
      long key,
      long sequence) {
    boolean hasKey = key >= 0;
    boolean hasSequence = sequence >= 0;
    int headerLength = GreHeader.length(checksum, hasKey, hasSequence);
    int start = payload - headerLength;
    int flags =
        (checksum ? GreHeader.FLAG_CHECKSUM : 0)
            | (hasKey ? GreHeader.FLAG_KEY : 0)
            | (hasSequence ? GreHeader.FLAG_SEQUENCE : 0);
    b.putShort(start, (short) flags);
    b.putShort(start + 2, (short) protocol);
    int at = start + GreHeader.BASE_LENGTH;
    if (checksum) {
      b.putInt(at, 0); // checksum and reserved1, zero while summing
      at += 4;
    }
    if (hasKey) {
      b.putInt(at, (int) key);
      at += 4;
    }
    if (hasSequence) {
      b.putInt(at, (int) sequence);
    }
    if (checksum) {
      b.putShort(
          start + GreHeader.BASE_LENGTH,
          (short) Checksum.compute(b, start, headerLength + payloadLength));
    }
    return start;
  }
}
