package io.tunnelier.agent.datapath.net;

import java.nio.ByteBuffer;

/**
 * The netlink message format (RFC 3549, {@code linux/netlink.h}) in a buffer of the machine's byte
 * order: the 16-byte {@code nlmsghdr}, 4-byte aligned attributes ({@code nlattr}: length, type,
 * value; nested ones hold attributes) and the kernel's {@code NLMSG_ERROR} answer. Pure: no I/O, so
 * every request and answer can be checked byte by byte; {@link NetlinkSocket} moves them.
 */
public final class NetlinkMessage {
  public static final int HEADER = 16;
  public static final int ATTRIBUTE_HEADER = 4;

  public static final short NLMSG_NOOP = 1;
  public static final short NLMSG_ERROR = 2;
  public static final short NLMSG_DONE = 3;
  public static final short NLMSG_OVERRUN = 4;

  public static final short NLM_F_REQUEST = 0x1;
  public static final short NLM_F_MULTI = 0x2;
  public static final short NLM_F_ACK = 0x4;
  public static final short NLM_F_DUMP = 0x300;

  /** An attribute type carries these flags in its top bits; the type proper is below. */
  private static final int NLA_TYPE_MASK = 0x3FFF;

  public static final short NLA_F_NESTED = (short) 0x8000;

  private NetlinkMessage() {}

  /** Writes the header at {@code at}: total length, type, flags, sequence; port id 0 (kernel). */
  public static void header(ByteBuffer b, int at, int length, short type, short flags, int seq) {
    b.putInt(at, length);
    b.putShort(at + 4, type);
    b.putShort(at + 6, flags);
    b.putInt(at + 8, seq);
    b.putInt(at + 12, 0);
  }

  public static int length(ByteBuffer b, int at) {
    return b.getInt(at);
  }

  public static short type(ByteBuffer b, int at) {
    return b.getShort(at + 4);
  }

  public static int seq(ByteBuffer b, int at) {
    return b.getInt(at + 8);
  }

  /** {@code n} rounded up to netlink's 4-byte alignment. */
  public static int align(int n) {
    return (n + 3) & ~3;
  }

  /**
   * Writes an attribute header for a value of {@code valueLength} bytes at {@code at}; returns
   * where the value goes. A nested attribute's length is fixed afterwards with {@link #endNest}.
   */
  public static int attribute(ByteBuffer b, int at, int type, int valueLength) {
    b.putShort(at, (short) (ATTRIBUTE_HEADER + valueLength));
    b.putShort(at + 2, (short) type);
    return at + ATTRIBUTE_HEADER;
  }

  /** Starts a nested attribute at {@code at}; returns where its first inner attribute goes. */
  public static int nest(ByteBuffer b, int at, int type) {
    return attribute(b, at, type | NLA_F_NESTED, 0);
  }

  /** Closes the nested attribute started at {@code start}, which now ends at {@code end}. */
  public static int endNest(ByteBuffer b, int start, int end) {
    b.putShort(start, (short) (end - start));
    return end;
  }

  /** An attribute with a 32-bit value in the machine's byte order; returns where the next goes. */
  public static int u32(ByteBuffer b, int at, int type, int value) {
    b.putInt(attribute(b, at, type, 4), value);
    return at + ATTRIBUTE_HEADER + 4;
  }

  /** An attribute holding {@code bytes} as they are (addresses: network order); returns next. */
  public static int bytes(ByteBuffer b, int at, int type, byte[] bytes) {
    int value = attribute(b, at, type, bytes.length);
    b.put(value, bytes);
    int end = at + align(ATTRIBUTE_HEADER + bytes.length);
    for (int i = value + bytes.length; i < end; i++) {
      b.put(i, (byte) 0);
    }
    return end;
  }

  /**
   * The offset of the first attribute of type {@code type} (flags ignored) among those from {@code
   * from} to {@code to}, or -1. Malformed lengths end the search.
   */
  public static int find(ByteBuffer b, int from, int to, int type) {
    int at = from;
    while (at + ATTRIBUTE_HEADER <= to) {
      int len = b.getShort(at) & 0xFFFF;
      if (len < ATTRIBUTE_HEADER || at + len > to) {
        return -1;
      }
      if ((b.getShort(at + 2) & NLA_TYPE_MASK) == type) {
        return at;
      }
      at += align(len);
    }
    return -1;
  }

  /** An attribute's whole length, header included, without padding. */
  public static int attributeLength(ByteBuffer b, int at) {
    return b.getShort(at) & 0xFFFF;
  }

  /** Offset of an attribute's value (or of a nested attribute's first inner attribute). */
  public static int value(int at) {
    return at + ATTRIBUTE_HEADER;
  }

  /** Where an attribute's value ends (without padding). */
  public static int valueEnd(ByteBuffer b, int at) {
    return at + attributeLength(b, at);
  }

  /**
   * The (negative) errno of an {@code NLMSG_ERROR} message at {@code at}, 0 for an acknowledgement;
   * -EIO when the message at {@code at} is not one.
   */
  public static int error(ByteBuffer b, int at, int available) {
    if (available < HEADER + 4 || type(b, at) != NLMSG_ERROR) {
      return -Errno.EIO;
    }
    return b.getInt(at + HEADER);
  }
}
