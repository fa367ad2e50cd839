package io.tunnelier.agent.datapath.tun;

import java.nio.ByteBuffer;

/**
 * {@code struct virtio_net_hdr} (virtio spec 5.1.6), the 10 bytes a TUN device with {@code
 * IFF_VNET_HDR} puts in front of every packet: how the kernel left its checksum and whether it is a
 * TCP super-packet to segment. Little-endian fields on the machines we run on (legacy virtio uses
 * the host's order). Offsets for use with a native-order buffer.
 */
public final class VirtioNetHeader {
  public static final int SIZE = 10;

  public static final int F_NEEDS_CSUM = 1;
  public static final int F_DATA_VALID = 2;

  public static final int GSO_NONE = 0;
  public static final int GSO_TCPV4 = 1;
  public static final int GSO_UDP = 3;
  public static final int GSO_TCPV6 = 4;
  public static final int GSO_UDP_L4 = 5;
  public static final int GSO_ECN = 0x80;

  static final int FLAGS = 0;
  static final int GSO_TYPE = 1;
  static final int HDR_LEN = 2;
  static final int GSO_SIZE = 4;
  static final int CSUM_START = 6;
  static final int CSUM_OFFSET = 8;

  private VirtioNetHeader() {}

  public static int flags(ByteBuffer nativeOrder, int at) {
    return nativeOrder.get(at + FLAGS) & 0xFF;
  }

  public static int gsoType(ByteBuffer nativeOrder, int at) {
    return nativeOrder.get(at + GSO_TYPE) & 0xFF;
  }

  public static int hdrLen(ByteBuffer nativeOrder, int at) {
    return nativeOrder.getShort(at + HDR_LEN) & 0xFFFF;
  }

  public static int gsoSize(ByteBuffer nativeOrder, int at) {
    return nativeOrder.getShort(at + GSO_SIZE) & 0xFFFF;
  }

  public static int csumStart(ByteBuffer nativeOrder, int at) {
    return nativeOrder.getShort(at + CSUM_START) & 0xFFFF;
  }

  public static int csumOffset(ByteBuffer nativeOrder, int at) {
    return nativeOrder.getShort(at + CSUM_OFFSET) & 0xFFFF;
  }

  /** Writes a header; all-zero (plain packet, checksum complete) when every argument is 0. */
  public static void put(
      ByteBuffer nativeOrder,
      int at,
      int flags,
      int gsoType,
      int hdrLen,
      int gsoSize,
      int csumStart,
      int csumOffset) {
    nativeOrder.put(at + FLAGS, (byte) flags);
    nativeOrder.put(at + GSO_TYPE, (byte) gsoType);
    nativeOrder.putShort(at + HDR_LEN, (short) hdrLen);
    nativeOrder.putShort(at + GSO_SIZE, (short) gsoSize);
    nativeOrder.putShort(at + CSUM_START, (short) csumStart);
    nativeOrder.putShort(at + CSUM_OFFSET, (short) csumOffset);
  }
}
