package io.tunnelier.agent.plan;

import io.tunnelier.api.peerconfig.Ipv4Cidr;
import java.util.List;

/**
 * Selected pods' traffic to the tunnel's destinations may leave this host only through {@code
 * allowedDev}; anything else is dropped. It is always installed (not only when the tunnel is seen
 * down), so there is no window in which a down tunnel leaks.
 *
 * @param guard while a selected pod on this node has no known IP yet; null otherwise
 */
public record KillSwitch(
    List<Ipv4Cidr> pods,
    List<Ipv4Cidr> destinations,
    List<Ipv4Cidr> excluded,
    String allowedDev,
    PendingPodGuard guard) {
  public KillSwitch {
    pods = List.copyOf(pods);
    destinations = List.copyOf(destinations);
    excluded = List.copyOf(excluded);
  }

  public KillSwitch(
      List<Ipv4Cidr> pods,
      List<Ipv4Cidr> destinations,
      List<Ipv4Cidr> excluded,
      String allowedDev) {
    this(pods, destinations, excluded, allowedDev, null);
  }
}
