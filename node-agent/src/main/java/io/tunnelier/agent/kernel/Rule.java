package io.tunnelier.agent.kernel;

import io.tunnelier.api.peerconfig.Ipv4Cidr;

/**
 * A policy rule {@code [from X] [to Y] lookup T priority P}; null from/to means "all". Rules have
 * no "replace": they are added and deleted whole.
 */
public record Rule(int priority, Ipv4Cidr from, Ipv4Cidr to, int table) {
  public static Rule fromSource(int priority, Ipv4Cidr from, int table) {
    return new Rule(priority, from, null, table);
  }

  public static Rule toDestination(int priority, Ipv4Cidr to, int table) {
    return new Rule(priority, null, to, table);
  }
}
