package io.tunnelier.agent.kernel;

import io.tunnelier.api.net.Cidr;

/**
 * A route in one of our tables. Identity in the kernel is (table, dst) at metric 0, which is all
 * the agent uses; a difference in anything else is fixed with {@code ip route replace}.
 *
 * @param via next hop, or null
 * @param dev output device, or null (throw, blackhole)
 * @param onlink the next hop is on the link even without a connected route to it
 */
public record Route(int table, RouteType type, Cidr dst, String via, String dev, boolean onlink) {
  public static Route dev(int table, Cidr dst, String dev) {
    return new Route(table, RouteType.UNICAST, dst, null, dev, false);
  }

  public static Route viaOnlink(int table, Cidr dst, String via, String dev) {
    return new Route(table, RouteType.UNICAST, dst, via, dev, true);
  }

  public static Route of(int table, RouteType type, Cidr dst) {
    return new Route(table, type, dst, null, null, false);
  }

  public Key key() {
    return new Key(table, dst);
  }

  /** Identity of a route in the kernel, for diffing. */
  public record Key(int table, Cidr dst) {}
}
