package io.tunnelier.agent.tunnel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Resolves a DNS name in {@code peer.endpoint} (or a standalone {@code peerEndpoint}) to the
 * address the datapath sends to. The real one asks the system resolver ({@link
 * SystemPeerResolver}); unit tests use a map.
 */
@FunctionalInterface
public interface PeerResolver {
  /**
   * The address for {@code unresolved} (its port kept). Throws UnknownHostException when the name
   * does not resolve, IllegalArgumentException when it resolves to an address no tunnel may use.
   */
  InetSocketAddress resolve(InetSocketAddress unresolved) throws UnknownHostException;

  /**
   * Refuses what the API server refuses for an IP literal in {@code peer.endpoint} (it cannot see
   * what a name resolves to): loopback, unspecified, link-local, multicast, 0.0.0.0/8 and
   * 240.0.0.0/4 with the broadcast address. A name resolving to 127.0.0.1 or 169.254.169.254 would
   * otherwise deliver pod-chosen payloads to the node's own services.
   */
  static InetAddress checked(String host, InetAddress address) {
    byte[] b = address.getAddress();
    boolean reserved = b.length == 4 && ((b[0] & 0xff) == 0 || (b[0] & 0xf0) == 0xf0);
    if (address.isLoopbackAddress()
        || address.isAnyLocalAddress()
        || address.isLinkLocalAddress()
        || address.isMulticastAddress()
        || reserved) {
      throw new IllegalArgumentException(
          host
              + " resolves to "
              + address.getHostAddress()
              + ", a loopback, unspecified, link-local, multicast or reserved address that no"
              + " tunnel may send to");
    }
    return address;
  }
}
