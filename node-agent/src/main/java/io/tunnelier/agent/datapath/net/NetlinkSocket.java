package io.tunnelier.agent.datapath.net;

import java.nio.ByteBuffer;

/**
 * A netlink socket to the kernel, in the network namespace of the thread that opened it: one
 * request at a time, answered by an acknowledgement ({@link #request}) or by a dump ({@link
 * #dump}). Messages are built and read with {@link NetlinkMessage}. Not thread-safe.
 */
public final class NetlinkSocket implements AutoCloseable {
  private static final int AF_NETLINK = 16;
  public static final int NETLINK_ROUTE = 0;
  public static final int NETLINK_NETFILTER = 12;

  /** Large enough for any dump part: the kernel fills at most 32 KiB per read. */
  private static final int RECEIVE_SIZE = 64 * 1024;

  /** One message of a dump, at {@code at} in {@code b}, {@code length} bytes long. */
  @FunctionalInterface
  public interface Handler {
    void message(ByteBuffer b, int at, int length);
  }

  private final int fd;
  private final String what;
  private final NativeBuffer received = new NativeBuffer(RECEIVE_SIZE);
  private int seq;

  private NetlinkSocket(int fd, String what) {
    this.fd = fd;
    this.what = what;
  }

  /** Opens a socket of netlink family {@code protocol}; {@code what} names it in errors. */
  public static NetlinkSocket open(int protocol, String what) throws ErrnoException {
    int s =
        Native.libc()
            .socket(AF_NETLINK, SocketOptions.SOCK_RAW | SocketOptions.SOCK_CLOEXEC, protocol);
    if (s < 0) {
      throw Native.error("netlink socket for " + what);
    }
    return new NetlinkSocket(s, what);
  }

  /** The sequence number the next message should carry. */
  public int nextSeq() {
    return ++seq;
  }

  /**
   * Sends a request that carries {@code NLM_F_ACK} and returns the kernel's answer: 0, or a
   * negative errno.
   */
  public int request(NativeBuffer message, int length) throws ErrnoException {
    send(message, length);
    return answer(NetlinkMessage.seq(message.buffer(), 0), null);
  }

  /**
   * Sends a dump request ({@code NLM_F_DUMP}) and hands every answer message to {@code handler}
   * until the kernel's {@code NLMSG_DONE}. Returns 0, or the negative errno the kernel answered
   * instead.
   */
  public int dump(NativeBuffer message, int length, Handler handler) throws ErrnoException {
    send(message, length);
    return answer(NetlinkMessage.seq(message.buffer(), 0), handler);
  }

  /**
   * Reads the answers to request {@code seq}: a request's ends with its {@code NLMSG_ERROR}
   * (acknowledgement or error), a dump's ({@code handler} not null) with {@code NLMSG_DONE} or an
   * error. Returns 0 or a negative errno.
   */
  private int answer(int seq, Handler handler) throws ErrnoException {
    while (true) {
      int n = receive();
      ByteBuffer b = received.buffer();
      for (int at = 0; at + NetlinkMessage.HEADER <= n; ) {
        int len = NetlinkMessage.length(b, at);
        if (len < NetlinkMessage.HEADER || at + len > n) {
          return -Errno.EIO;
        }
        if (NetlinkMessage.seq(b, at) == seq) {
          short type = NetlinkMessage.type(b, at);
          if (type == NetlinkMessage.NLMSG_ERROR) {
            int error = NetlinkMessage.error(b, at, len);
            if (handler == null || error != 0) {
              return error;
            }
          } else if (type == NetlinkMessage.NLMSG_DONE) {
            return len >= NetlinkMessage.HEADER + 4 ? b.getInt(at + NetlinkMessage.HEADER) : 0;
          } else if (handler != null && type != NetlinkMessage.NLMSG_NOOP) {
            handler.message(b, at, len);
          }
        }
        at += NetlinkMessage.align(len);
      }
    }
  }

  private void send(NativeBuffer message, int length) throws ErrnoException {
    // An unconnected netlink socket sends to the kernel.
    if (Native.libc().write(fd, message.address(), length) != length) {
      throw Native.error("netlink request for " + what);
    }
  }

  private int receive() throws ErrnoException {
    while (true) {
      long n = Native.libc().read(fd, received.address(), RECEIVE_SIZE);
      if (n >= 0) {
        return (int) n;
      }
      if (Native.errno() != Errno.EINTR) {
        throw Native.error("reading the kernel's netlink answer for " + what);
      }
    }
  }

  @Override
  public void close() {
    Native.libc().close(fd);
  }
}
