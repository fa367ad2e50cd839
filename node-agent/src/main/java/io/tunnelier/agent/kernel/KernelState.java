package io.tunnelier.agent.kernel;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The agent's objects on a node, desired or live: links, addresses, routes, rules, neighbours and
 * forwarding-database entries of its VXLAN links. Live state is always filtered to what {@link
 * Ownership} says is ours.
 */
public record KernelState(
    Set<Link> links,
    Set<Address> addresses,
    Set<Route> routes,
    Set<Rule> rules,
    Set<Neighbor> neighbors,
    Set<FdbEntry> fdb) {
  public static final KernelState EMPTY =
      new KernelState(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

  public KernelState {
    links = Set.copyOf(links);
    addresses = Set.copyOf(addresses);
    routes = Set.copyOf(routes);
    rules = Set.copyOf(rules);
    neighbors = Set.copyOf(neighbors);
    fdb = Set.copyOf(fdb);
  }

  /** Without forwarding-database entries. */
  public KernelState(
      Set<Link> links,
      Set<Address> addresses,
      Set<Route> routes,
      Set<Rule> rules,
      Set<Neighbor> neighbors) {
    this(links, addresses, routes, rules, neighbors, Set.of());
  }

  public int objectCount() {
    return links.size()
        + addresses.size()
        + routes.size()
        + rules.size()
        + neighbors.size()
        + fdb.size();
  }

  /** A stable, readable listing (for logs, docs and test failure messages). */
  public List<String> describe() {
    TreeSet<String> lines = new TreeSet<>(Comparator.naturalOrder());
    links.forEach(l -> lines.add("link " + l));
    addresses.forEach(a -> lines.add("addr " + a));
    routes.forEach(r -> lines.add("route " + r));
    rules.forEach(r -> lines.add("rule " + r));
    neighbors.forEach(n -> lines.add("neigh " + n));
    fdb.forEach(f -> lines.add("fdb " + f));
    return List.copyOf(lines);
  }
}
