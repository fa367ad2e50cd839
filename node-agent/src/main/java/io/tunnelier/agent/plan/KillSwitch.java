package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import java.util.List;

/**
 * Selected pods' traffic to the tunnel's destinations may leave this host only through {@code
 * allowedDev}; anything else is dropped. It is always installed (not only when the tunnel is seen
 * down), so there is no window in which a down tunnel leaks.
 *
 * @param guard while a selected pod on this node has no known IP yet; null otherwise
 * @param ipv6Addresses the IPv6 addresses of the selected pods on this node: all their IPv6 but
 *     link-local is dropped, as egress carries IPv4 only
 * @param ipv6Pods how many selected pods on this node have those addresses (for status)
 */
public record KillSwitch(
    List<Cidr> pods,
    List<Cidr> destinations,
    List<Cidr> excluded,
    String allowedDev,
    PendingPodGuard guard,
    List<String> ipv6Addresses,
    int ipv6Pods) {
  public KillSwitch {
    pods = List.copyOf(pods);
    destinations = List.copyOf(destinations);
    excluded = List.copyOf(excluded);
    ipv6Addresses = ipv6Addresses == null ? List.of() : List.copyOf(ipv6Addresses);
  }

  public KillSwitch(
      List<Cidr> pods,
      List<Cidr> destinations,
      List<Cidr> excluded,
      String allowedDev,
      PendingPodGuard guard) {
    this(pods, destinations, excluded, allowedDev, guard, List.of(), 0);
  }

  public KillSwitch(
      List<Cidr> pods, List<Cidr> destinations, List<Cidr> excluded, String allowedDev) {
    this(pods, destinations, excluded, allowedDev, null);
  }

  /** The same kill switch letting the traffic out through another device (a backup peer's). */
  public KillSwitch withAllowedDev(String dev) {
    return new KillSwitch(pods, destinations, excluded, dev, guard, ipv6Addresses, ipv6Pods);
  }
}
