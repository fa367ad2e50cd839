package io.tunnelier.agent.status;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.api.net.Cidr;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The peer's underlay IP address, for the direct (outside the tunnel) RTT probe. Pure. */
public final class PeerUnderlay {
  private PeerUnderlay() {}

  /**
   * The address packets go to now ({@code learned}, "ip:port" or "[ip]:port" from the datapath's
   * stats), else the configured peer if it is an IP literal; empty when neither is known.
   */
  public static Optional<String> host(DatapathConfig config, String learned) {
    if (learned != null && !learned.isBlank()) {
      String s = learned.strip();
      if (s.startsWith("[")) {
        return Optional.of(s.substring(1, s.indexOf(']')));
      }
      int colon = s.lastIndexOf(':');
      return Optional.of(colon > 0 && s.indexOf(':') == colon ? s.substring(0, colon) : s);
    }
    InetSocketAddress peer =
        config instanceof DatapathConfig.Gre g
            ? g.peer()
            : config instanceof DatapathConfig.WireGuard w ? w.peer() : null;
    if (peer == null || peer.isUnresolved() || peer.getAddress() == null) {
      return Optional.empty();
    }
    return Optional.of(Cidr.format(peer.getAddress().getAddress()));
  }
}
