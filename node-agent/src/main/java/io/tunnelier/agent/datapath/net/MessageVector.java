package io.tunnelier.agent.datapath.net;

import java.nio.ByteBuffer;

/**
 * Prepared native memory for {@code recvmmsg}/{@code sendmmsg}: an array of {@code struct mmsghdr},
 * the {@code struct iovec}s they point at, and per-message room for a sockaddr and a control
 * message. LP64 Linux layout:
 *
 * <pre>
 * struct msghdr  { void *name; u32 namelen; struct iovec *iov; size_t iovlen;
 *                  void *control; size_t controllen; int flags; }   // 56 bytes
 * struct mmsghdr { struct msghdr hdr; unsigned len; }                // 64 bytes
 * struct iovec   { void *base; size_t len; }                         // 16 bytes
 * struct cmsghdr { size_t len; int level; int type; u8 data[]; }     // 16 + data
 * </pre>
 */
final class MessageVector {
  static final int MMSGHDR_SIZE = 64;
  static final int IOVEC_SIZE = 16;

  /** CMSG_SPACE(sizeof(int)): one int- or u16-valued control message. */
  static final int CONTROL_SIZE = 24;

  static final int MSG_TRUNC = 0x20;
  static final int MSG_DONTWAIT = 0x40;

  private final int messages;
  private final int iovecs;
  final NativeBuffer msgs;
  final NativeBuffer iovs;
  final NativeBuffer names;
  final NativeBuffer control;

  MessageVector(int messages, int iovecs) {
    this.messages = messages;
    this.iovecs = iovecs;
    this.msgs = new NativeBuffer(messages * MMSGHDR_SIZE);
    this.iovs = new NativeBuffer(iovecs * IOVEC_SIZE);
    this.names = new NativeBuffer(messages * Endpoint.SOCKADDR_SIZE);
    this.control = new NativeBuffer(messages * CONTROL_SIZE);
  }

  int messages() {
    return messages;
  }

  int iovecs() {
    return iovecs;
  }

  void setIov(int k, long base, long length) {
    ByteBuffer b = iovs.buffer();
    b.putLong(k * IOVEC_SIZE, base);
    b.putLong(k * IOVEC_SIZE + 8, length);
  }

  /** Fills message {@code m}; name and control are addresses (0 for none). */
  void setMessage(
      int m, long name, int nameLength, int firstIov, int iovCount, long ctrl, int ctrlLength) {
    ByteBuffer b = msgs.buffer();
    int o = m * MMSGHDR_SIZE;
    b.putLong(o, name);
    b.putInt(o + 8, nameLength);
    b.putInt(o + 12, 0);
    b.putLong(o + 16, iovs.address(firstIov * IOVEC_SIZE));
    b.putLong(o + 24, iovCount);
    b.putLong(o + 32, ctrl);
    b.putLong(o + 40, ctrlLength);
    b.putInt(o + 48, 0);
    b.putInt(o + 56, 0);
  }

  long msgsAddress(int m) {
    return msgs.address(m * MMSGHDR_SIZE);
  }

  long nameAddress(int m) {
    return names.address(m * Endpoint.SOCKADDR_SIZE);
  }

  int nameOffset(int m) {
    return m * Endpoint.SOCKADDR_SIZE;
  }

  long controlAddress(int m) {
    return control.address(m * CONTROL_SIZE);
  }

  /** Bytes the kernel moved for message {@code m}. */
  int length(int m) {
    return msgs.buffer().getInt(m * MMSGHDR_SIZE + 56);
  }

  int flags(int m) {
    return msgs.buffer().getInt(m * MMSGHDR_SIZE + 48);
  }

  long controlLength(int m) {
    return msgs.buffer().getLong(m * MMSGHDR_SIZE + 40);
  }

  /** Writes one control message with a 16-bit value (e.g. UDP_SEGMENT) for message {@code m}. */
  int putControlShort(int m, int level, int type, int value) {
    ByteBuffer b = control.buffer();
    int o = m * CONTROL_SIZE;
    b.putLong(o, 16 + 2); // CMSG_LEN(sizeof(u16))
    b.putInt(o + 8, level);
    b.putInt(o + 12, type);
    b.putShort(o + 16, (short) value);
    return CONTROL_SIZE;
  }

  /**
   * The int value of the first control message of {@code level}/{@code type} the kernel returned
   * for message {@code m}, or -1 when there is none. Only one message fits in our control room.
   */
  int controlInt(int m, int level, int type) {
    if (controlLength(m) < 16 + 2) {
      return -1;
    }
    ByteBuffer b = control.buffer();
    int o = m * CONTROL_SIZE;
    long len = b.getLong(o);
    if (len < 16 + 2 || b.getInt(o + 8) != level || b.getInt(o + 12) != type) {
      return -1;
    }
    // UDP_GRO delivers an int; read the low 16 bits whatever the width (segment sizes fit).
    return len >= 16 + 4 ? b.getInt(o + 16) : b.getShort(o + 16) & 0xFFFF;
  }
}
