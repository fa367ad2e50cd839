package io.tunnelier.agent.plan;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.peerconfig.HostPort;
import io.tunnelier.api.v1alpha1.Encapsulation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Base64;

/**
 * Builds {@link DatapathConfig}s without I/O: IP literals are parsed, DNS names left unresolved.
 */
public final class DatapathConfigs {
  /** RFC 8086's port for GRE-in-UDP. */
  public static final int GRE_UDP_PORT = 4754;

  private DatapathConfigs() {}

  /**
   * A socket address for {@code host:port} that never touches DNS: an IP literal becomes a resolved
   * address, a name stays unresolved ({@link InetSocketAddress#isUnresolved()}) for the datapath to
   * resolve (and re-resolve) itself.
   */
  public static InetSocketAddress socketAddress(HostPort hp, int defaultPort) {
    int port = hp.hasPort() ? hp.port() : defaultPort;
    if (hp.host().isEmpty()) {
      return new InetSocketAddress(port);
    }
    if (hp.host().contains(":") || hp.host().matches("[0-9.]+")) {
      try {
        // Literal: getByName parses it without a lookup.
        return new InetSocketAddress(InetAddress.getByName(hp.host()), port);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: " + hp.host(), e);
      }
    }
    return InetSocketAddress.createUnresolved(hp.host(), port);
  }

  public static DatapathConfig gre(
      String device,
      int mtu,
      Encapsulation encap,
      InetSocketAddress local,
      InetSocketAddress peer,
      Long key) {
    boolean udp = encap == Encapsulation.GRE_OVER_UDP;
    int localPort =
        udp ? (local != null && local.getPort() > 0 ? local.getPort() : GRE_UDP_PORT) : 0;
    return new DatapathConfig.Gre(device, mtu, udp, local, localPort, peer, key, false, false);
  }

  public static byte[] key(String base64) {
    return base64 == null || base64.isBlank() ? null : Base64.getDecoder().decode(base64.strip());
  }

  static String ip(Cidr cidr) {
    return cidr == null ? null : cidr.ip();
  }
}
