package io.tunnelier.agent.kernel;

import io.tunnelier.api.net.Cidr;

/**
 * A policy rule {@code [from X] [to Y] [iif DEV] lookup T priority P}; null from/to means "all",
 * null iif any input interface. Rules have no "replace": they are added and deleted whole.
 */
public record Rule(int priority, Cidr from, Cidr to, int table, String iif) {
  public Rule(int priority, Cidr from, Cidr to, int table) {
    this(priority, from, to, table, null);
  }

  public static Rule fromSource(int priority, Cidr from, int table) {
    return new Rule(priority, from, null, table);
  }

  public static Rule toDestination(int priority, Cidr to, int table) {
    return new Rule(priority, null, to, table);
  }

  /** Everything that arrives on {@code iif}. */
  public static Rule fromInterface(int priority, String iif, int table) {
    return new Rule(priority, null, null, table, iif);
  }
}
