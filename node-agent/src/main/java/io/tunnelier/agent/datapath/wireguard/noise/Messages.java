package io.tunnelier.agent.datapath.wireguard.noise;

/**
 * Wire layout of the four message types (whitepaper section 5.4). Every integer field is
 * little-endian; the first byte is the type and the next three are zero.
 */
public final class Messages {
  public static final int TYPE_INITIATION = 1;
  public static final int TYPE_RESPONSE = 2;
  public static final int TYPE_COOKIE_REPLY = 3;
  public static final int TYPE_TRANSPORT = 4;

  public static final int INITIATION_SIZE = 148;
  public static final int RESPONSE_SIZE = 92;
  public static final int COOKIE_REPLY_SIZE = 64;
  public static final int TRANSPORT_HEADER_SIZE = 16;

  /** Header plus the Poly1305 tag: a keepalive is exactly this long. */
  public static final int TRANSPORT_MIN_SIZE = TRANSPORT_HEADER_SIZE + Aead.TAG_SIZE;

  // Initiation: type(4) sender(4) ephemeral(32) static(32+16) timestamp(12+16) mac1 mac2
  public static final int INITIATION_SENDER = 4;
  public static final int INITIATION_EPHEMERAL = 8;
  public static final int INITIATION_STATIC = 40;
  public static final int INITIATION_TIMESTAMP = 88;
  public static final int INITIATION_MAC1 = 116;
  public static final int INITIATION_MAC2 = 132;

  // Response: type(4) sender(4) receiver(4) ephemeral(32) empty(0+16) mac1 mac2
  public static final int RESPONSE_SENDER = 4;
  public static final int RESPONSE_RECEIVER = 8;
  public static final int RESPONSE_EPHEMERAL = 12;
  public static final int RESPONSE_EMPTY = 44;
  public static final int RESPONSE_MAC1 = 60;
  public static final int RESPONSE_MAC2 = 76;

  // Cookie reply: type(4) receiver(4) nonce(24) cookie(16+16)
  public static final int COOKIE_RECEIVER = 4;
  public static final int COOKIE_NONCE = 8;
  public static final int COOKIE_COOKIE = 32;

  // Transport: type(4) receiver(4) counter(8) packet(n+16)
  public static final int TRANSPORT_RECEIVER = 4;
  public static final int TRANSPORT_COUNTER = 8;

  private Messages() {}

  /** The message type, or -1 when the three reserved bytes are not zero. */
  public static int type(byte[] buf, int offset) {
    if (buf[offset + 1] != 0 || buf[offset + 2] != 0 || buf[offset + 3] != 0) {
      return -1;
    }
    return buf[offset] & 0xff;
  }

  public static void putType(byte[] buf, int offset, int type) {
    buf[offset] = (byte) type;
    buf[offset + 1] = 0;
    buf[offset + 2] = 0;
    buf[offset + 3] = 0;
  }

  public static int getInt(byte[] buf, int offset) {
    return (buf[offset] & 0xff)
        | (buf[offset + 1] & 0xff) << 8
        | (buf[offset + 2] & 0xff) << 16
        | (buf[offset + 3] & 0xff) << 24;
  }

  public static void putInt(byte[] buf, int offset, int value) {
    buf[offset] = (byte) value;
    buf[offset + 1] = (byte) (value >>> 8);
    buf[offset + 2] = (byte) (value >>> 16);
    buf[offset + 3] = (byte) (value >>> 24);
  }

  public static long getLong(byte[] buf, int offset) {
    return (getInt(buf, offset) & 0xffffffffL) | ((long) getInt(buf, offset + 4) << 32);
  }

  public static void putLong(byte[] buf, int offset, long value) {
    putInt(buf, offset, (int) value);
    putInt(buf, offset + 4, (int) (value >>> 32));
  }
}
