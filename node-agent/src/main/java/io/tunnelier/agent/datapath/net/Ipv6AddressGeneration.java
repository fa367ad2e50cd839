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
  private static final short RTM_SETLINK = 19;
  private static final short IFLA_AF_SPEC = 26;
  private static final short IFLA_INET6_ADDR_GEN_MODE = 8;
  private static final byte IN6_ADDR_GEN_MODE_NONE = 1;

  /** nlmsghdr (16) + ifinfomsg (16) + IFLA_AF_SPEC (4) + AF_INET6 (4) + the mode (5, padded 8). */
  static final int MESSAGE_SIZE = 48;

  private Ipv6AddressGeneration() {}

  /**
   * Sets {@code name}'s IPv6 address generation mode to none. Returns false, changing nothing, when
   * the kernel has no IPv6 (then no link-local address appears anyway).
   */
  public static boolean disable(String name) throws ErrnoException {
    int index = LinkControl.index(name);
    try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE, name)) {
      NativeBuffer message = new NativeBuffer(MESSAGE_SIZE);
      write(message.buffer(), index, s.nextSeq());
      int error = s.request(message, MESSAGE_SIZE);
      if (error == -Errno.EAFNOSUPPORT) {
        return false;
      }
      if (error != 0) {
        throw new ErrnoException("RTM_SETLINK addrgenmode none on " + name, -error);
      }
      return true;
    }
  }

  /** The request, in the machine's byte order (netlink's). */
  static void write(ByteBuffer b, int ifindex, int seq) {
    NetlinkMessage.header(
        b,
        0,
        MESSAGE_SIZE,
        RTM_SETLINK,
        (short) (NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK),
        seq);
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
}
