package io.tunnelier.agent.kernel;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;

/**
 * A policy rule {@code [from X] [to Y] [iif DEV] lookup T priority P} of one address family; null
 * from/to means "all", null iif any input interface. Rules have no "replace": they are added and
 * deleted whole. IPv4 and IPv6 rules are separate lists in the kernel ({@code ip -6 rule}).
 */
public record Rule(int priority, Cidr from, Cidr to, int table, String iif, IpFamily family) {
  public Rule {
    IpFamily selected = from != null ? from.family() : to != null ? to.family() : null;
    if (family == null) {
      family = selected == null ? IpFamily.IPV4 : selected;
    } else if (selected != null && selected != family) {
      throw new IllegalArgumentException("an " + family + " rule cannot select " + selected);
    }
  }

  /** The family of {@code from} or {@code to}; IPv4 when both are "all". */
  public Rule(int priority, Cidr from, Cidr to, int table, String iif) {
    this(priority, from, to, table, iif, null);
  }

  public Rule(int priority, Cidr from, Cidr to, int table) {
    this(priority, from, to, table, null, null);
  }

  public static Rule fromSource(int priority, Cidr from, int table) {
    return new Rule(priority, from, null, table);
  }

  public static Rule toDestination(int priority, Cidr to, int table) {
    return new Rule(priority, null, to, table);
  }

  /** Everything of {@code family} that arrives on {@code iif}. */
  public static Rule fromInterface(int priority, String iif, int table, IpFamily family) {
    return new Rule(priority, null, null, table, iif, family);
  }
}
