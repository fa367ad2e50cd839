package io.tunnelier.agent.datapath.net;

import java.nio.ByteBuffer;

/**
 * Turns off IPv6 address generation on a device before it comes up ({@code ip link set dev X
 * addrgenmode none}), in the network namespace of the calling thread: one rtnetlink {@code
 * RTM_SETLINK} with {@code IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE = NONE } }}.
 *
 * <p>Why: a tunnel device that comes up with an IPv6 link-local address makes the node's kernel
 * send its own router solicitations and MLD reports into the tunnel, to the far end. Nothing of
 * Tunnelier uses link-local addresses on a tunnel (TUN is layer 3: no neighbour discovery). Only
 * NET_ADMIN is needed, unlike the sysctl, whose {@code /proc/sys} is read-only in a container.
 */
public final class Ipv6AddressGeneration {
  private static final int AF_NETLINK = 16;
  private static final int NETLINK_ROUTE = 0;
  private static final short RTM_SETLINK = 19;
  private static final short NLMSG_ERROR = 2;
  private static final short NLM_F_REQUEST = 0x1;
  private static final short NLM_F_ACK = 0x4;
  private static final short IFLA_AF_SPEC = 26;
  private static final short IFLA_INET6_ADDR_GEN_MODE = 8;
  private static final byte IN6_ADDR_GEN_MODE_NONE = 1;

  /** nlmsghdr (16) + ifinfomsg (16) + IFLA_AF_SPEC (4) + AF_INET6 (4) + the mode (5, padded 8). */
  static final int MESSAGE_SIZE = 48;

  private static final int ACK_SIZE = 1024;

  private Ipv6AddressGeneration() {}

  /**
   * Sets {@code name}'s IPv6 address generation mode to none. Returns false, changing nothing, when
   * the kernel has no IPv6 (then no link-local address appears anyway).
   */
  public static boolean disable(String name) throws ErrnoException {
    int index = LinkControl.index(name);
    NativeBuffer message = new NativeBuffer(MESSAGE_SIZE);
    write(message.buffer(), index);
    int s =
        Native.libc()
            .socket(AF_NETLINK, SocketOptions.SOCK_RAW | SocketOptions.SOCK_CLOEXEC, NETLINK_ROUTE);
    if (s < 0) {
      throw Native.error("netlink socket for " + name);
    }
    try {
      // An unconnected netlink socket sends to the kernel.
      if (Native.libc().write(s, message.address(), MESSAGE_SIZE) != MESSAGE_SIZE) {
        throw Native.error("RTM_SETLINK addrgenmode none on " + name);
      }
      NativeBuffer ack = new NativeBuffer(ACK_SIZE);
      long n = Native.libc().read(s, ack.address(), ACK_SIZE);
      if (n < 0) {
        throw Native.error("reading the answer to RTM_SETLINK on " + name);
      }
      int error = error(ack.buffer(), (int) n);
      if (error == -Errno.EAFNOSUPPORT) {
        return false;
      }
      if (error != 0) {
        throw new ErrnoException("RTM_SETLINK addrgenmode none on " + name, -error);
      }
      return true;
    } finally {
      Native.libc().close(s);
    }
  }

  /** The request, in the machine's byte order (netlink's). */
  static void write(ByteBuffer b, int ifindex) {
    b.putInt(0, MESSAGE_SIZE);
    b.putShort(4, RTM_SETLINK);
    b.putShort(6, (short) (NLM_F_REQUEST | NLM_F_ACK));
    b.putInt(8, 1); // sequence
    b.putInt(12, 0); // port id: the kernel assigns ours
    b.put(16, (byte) 0); // ifi_family AF_UNSPEC
    b.put(17, (byte) 0);
    b.putShort(18, (short) 0); // ifi_type
    b.putInt(20, ifindex);
    b.putInt(24, 0); // ifi_flags
    b.putInt(28, 0); // ifi_change: no flag changes
    b.putShort(32, (short) 16);
    b.putShort(34, IFLA_AF_SPEC);
    b.putShort(36, (short) 12);
    b.putShort(38, (short) Endpoint.AF_INET6);
    b.putShort(40, (short) 5);
    b.putShort(42, IFLA_INET6_ADDR_GEN_MODE);
    b.put(44, IN6_ADDR_GEN_MODE_NONE);
    b.put(45, (byte) 0);
    b.putShort(46, (short) 0);
  }

  /** The (negative) errno of the kernel's NLMSG_ERROR answer, 0 for success. */
  static int error(ByteBuffer b, int length) {
    if (length < 20 || b.getShort(4) != NLMSG_ERROR) {
      return -Errno.EIO;
    }
    return b.getInt(16);
  }
}
