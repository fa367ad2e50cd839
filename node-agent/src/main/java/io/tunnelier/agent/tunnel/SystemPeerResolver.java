package io.tunnelier.agent.tunnel;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The system resolver (the node's {@code /etc/hosts} and DNS, as the agent's pod sees them). The
 * JVM caches answers for 30 s (and failures for 10 s), which bounds how often a pass asks. IPv4 is
 * preferred: the underlay between gateway and far end is IPv4 today.
 */
public final class SystemPeerResolver implements PeerResolver {
  @Override
  public InetSocketAddress resolve(InetSocketAddress unresolved) throws UnknownHostException {
    String host = unresolved.getHostString();
    InetAddress[] all = InetAddress.getAllByName(host);
    InetAddress pick = all[0];
    for (InetAddress a : all) {
      if (a instanceof Inet4Address) {
        pick = a;
        break;
      }
    }
    return new InetSocketAddress(PeerResolver.checked(host, pick), unresolved.getPort());
  }
}
