package io.tunnelier.agent.kernel;

/** Route types as iproute2 names them. */
public enum RouteType {
  UNICAST,
  /** Stop looking in this table; the next policy rule decides (excluded destinations). */
  THROW,
  BLACKHOLE,
  UNREACHABLE;

  public String ipName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
