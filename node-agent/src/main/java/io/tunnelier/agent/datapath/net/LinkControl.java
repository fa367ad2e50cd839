package io.tunnelier.agent.datapath.net;

import java.nio.charset.StandardCharsets;

/**
 * Interface settings through the classic {@code SIOC*IF*} ioctls on a datagram socket, in the
 * network namespace of the calling thread: MTU and the up flag of a device the datapath created.
 * Addresses and routes are the agent's job (rtnetlink/iproute2), not this class's.
 */
public final class LinkControl {
  static final int IFREQ_SIZE = 40;
  private static final long SIOCGIFFLAGS = 0x8913;
  private static final long SIOCSIFFLAGS = 0x8914;
  private static final long SIOCGIFMTU = 0x8921;
  private static final long SIOCSIFMTU = 0x8922;
  private static final long SIOCGIFINDEX = 0x8933;
  private static final short IFF_UP = 0x1;

  private LinkControl() {}

  /** Writes {@code name} NUL-terminated into an ifreq at offset 0. */
  static void putName(NativeBuffer ifreq, String name) {
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length >= 16) {
      throw new IllegalArgumentException("interface name too long: " + name);
    }
    ifreq.clear(0, IFREQ_SIZE);
    for (int i = 0; i < bytes.length; i++) {
      ifreq.buffer().put(i, bytes[i]);
    }
  }

  static String getName(NativeBuffer ifreq) {
    int n = 0;
    while (n < 16 && ifreq.buffer().get(n) != 0) {
      n++;
    }
    byte[] bytes = new byte[n];
    ifreq.buffer().get(0, bytes);
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  public static void setMtu(String name, int mtu) throws ErrnoException {
    NativeBuffer ifreq = new NativeBuffer(IFREQ_SIZE);
    putName(ifreq, name);
    ifreq.buffer().putInt(16, mtu);
    ioctl(SIOCSIFMTU, ifreq, "set MTU " + mtu + " on " + name);
  }

  public static int mtu(String name) throws ErrnoException {
    NativeBuffer ifreq = new NativeBuffer(IFREQ_SIZE);
    putName(ifreq, name);
    ioctl(SIOCGIFMTU, ifreq, "read MTU of " + name);
    return ifreq.buffer().getInt(16);
  }

  /** The interface index of {@code name}. */
  public static int index(String name) throws ErrnoException {
    NativeBuffer ifreq = new NativeBuffer(IFREQ_SIZE);
    putName(ifreq, name);
    ioctl(SIOCGIFINDEX, ifreq, "read the index of " + name);
    return ifreq.buffer().getInt(16);
  }

  public static void up(String name) throws ErrnoException {
    NativeBuffer ifreq = new NativeBuffer(IFREQ_SIZE);
    putName(ifreq, name);
    ioctl(SIOCGIFFLAGS, ifreq, "read flags of " + name);
    short flags = ifreq.buffer().getShort(16);
    ifreq.buffer().putShort(16, (short) (flags | IFF_UP));
    ioctl(SIOCSIFFLAGS, ifreq, "bring " + name + " up");
  }

  private static void ioctl(long request, NativeBuffer ifreq, String what) throws ErrnoException {
    int s =
        Native.libc()
            .socket(Endpoint.AF_INET, SocketOptions.SOCK_DGRAM | SocketOptions.SOCK_CLOEXEC, 0);
    if (s < 0) {
      throw Native.error("socket for " + what);
    }
    try {
      if (Native.libc().ioctl(s, request, ifreq.address()) < 0) {
        throw Native.error(what);
      }
    } finally {
      Native.libc().close(s);
    }
  }
}
