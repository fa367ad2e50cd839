package io.tunnelier.agent.datapath.net;

import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * The underlay MTU as the kernel sees it from the calling thread's network namespace: toward a
 * peer, the MTU of the route a connected UDP socket gets ({@code IP_MTU}/{@code IPV6_MTU}, which
 * includes learned path MTUs); for a local address, the MTU of the interface that holds it.
 */
public final class PathMtu {
  private PathMtu() {}

  /** The route MTU toward {@code peer}, or -1 when there is no route. */
  public static int toward(Endpoint peer) {
    int s =
        Native.libc()
            .socket(peer.family(), SocketOptions.SOCK_DGRAM | SocketOptions.SOCK_CLOEXEC, 0);
    if (s < 0) {
      return -1;
    }
    try {
      NativeBuffer addr = new NativeBuffer(Endpoint.SOCKADDR_SIZE);
      // Any port: connect() on UDP only picks the route.
      int len = peer.withPort(peer.port() == 0 ? 9 : peer.port()).writeSockaddr(addr.buffer(), 0);
      if (Native.libc().connect(s, addr.address(), len) < 0) {
        return -1;
      }
      return peer.isIpv4()
          ? SocketOptions.getInt(s, SocketOptions.SOL_IP, SocketOptions.IP_MTU)
          : SocketOptions.getInt(s, SocketOptions.SOL_IPV6, SocketOptions.IPV6_MTU);
    } catch (ErrnoException e) {
      return -1;
    } finally {
      Native.libc().close(s);
    }
  }

  /** The MTU of the interface holding {@code local}, or -1 when none does. */
  public static int ofLocalAddress(Endpoint local) {
    try {
      NetworkInterface nic = NetworkInterface.getByInetAddress(local.inetAddress());
      return nic == null ? -1 : nic.getMTU();
    } catch (SocketException e) {
      return -1;
    }
  }
}
