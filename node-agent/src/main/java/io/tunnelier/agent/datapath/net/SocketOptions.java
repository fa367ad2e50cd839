package io.tunnelier.agent.datapath.net;

/** Socket constants and option helpers (Linux values) shared by the datagram sockets. */
final class SocketOptions {
  static final int SOCK_DGRAM = 2;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;

  static final int SOL_SOCKET = 1;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUF = 8;
  static final int SO_SNDBUFFORCE = 32;
  static final int SO_RCVBUFFORCE = 33;
  static final int SO_REUSEADDR = 2;

  static final int SOL_IP = 0;
  static final int IP_MTU_DISCOVER = 10;
  static final int IP_MTU = 14;
  static final int IP_PMTUDISC_DONT = 0;

  static final int SOL_IPV6 = 41;
  static final int IPV6_V6ONLY = 26;
  static final int IPV6_MTU = 24;

  static final int SOL_UDP = 17;
  static final int UDP_SEGMENT = 103;
  static final int UDP_GRO = 104;

  /** Socket buffers big enough for a burst of batches: 4 MiB each way. */
  static final int BUFFER_BYTES = 4 << 20;

  private SocketOptions() {}

  static int setInt(int fd, int level, int name, int value) {
    NativeBuffer v = new NativeBuffer(4);
    v.buffer().putInt(0, value);
    return Native.libc().setsockopt(fd, level, name, v.address(), 4);
  }

  static int getInt(int fd, int level, int name) throws ErrnoException {
    NativeBuffer v = new NativeBuffer(8);
    v.buffer().putInt(4, 4);
    if (Native.libc().getsockopt(fd, level, name, v.address(), v.address(4)) < 0) {
      throw Native.error("getsockopt " + level + "/" + name);
    }
    return v.buffer().getInt(0);
  }

  /** Large socket buffers; as root the FORCE variants pass the sysctl caps. */
  static void setBuffers(int fd) {
    if (setInt(fd, SOL_SOCKET, SO_RCVBUFFORCE, BUFFER_BYTES) < 0) {
      setInt(fd, SOL_SOCKET, SO_RCVBUF, BUFFER_BYTES);
    }
    if (setInt(fd, SOL_SOCKET, SO_SNDBUFFORCE, BUFFER_BYTES) < 0) {
      setInt(fd, SOL_SOCKET, SO_SNDBUF, BUFFER_BYTES);
    }
  }

  static void bind(int fd, Endpoint local, String what) throws ErrnoException {
    NativeBuffer addr = new NativeBuffer(Endpoint.SOCKADDR_SIZE);
    int len = local.writeSockaddr(addr.buffer(), 0);
    if (Native.libc().bind(fd, addr.address(), len) < 0) {
      throw Native.error("bind " + what + " to " + local);
    }
  }

  static Endpoint localEndpoint(int fd) throws ErrnoException {
    NativeBuffer addr = new NativeBuffer(Endpoint.SOCKADDR_SIZE + 8);
    addr.buffer().putInt(Endpoint.SOCKADDR_SIZE, Endpoint.SOCKADDR_SIZE);
    if (Native.libc().getsockname(fd, addr.address(), addr.address(Endpoint.SOCKADDR_SIZE)) < 0) {
      throw Native.error("getsockname");
    }
    return Endpoint.fromSockaddr(addr.buffer(), 0);
  }
}
