package io.tunnelier.agent.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The commands that turn the live state into the desired one, touching only what differs. Pure.
 * Removals come first (rules, then routes, neighbours, addresses, links), so no stale rule points
 * into a half-removed table; then additions in the opposite order. Forwarding-database entries come
 * last, removals before additions: they are {@code bridge}'s, not {@code ip}'s, so the whole change
 * stays two batches at most. A desired tunnel device that does not exist (its datapath failed to
 * open) cannot be created with {@code ip}: its addresses, routes and neighbours are left out until
 * it exists.
 */
public final class KernelDiff {
  private KernelDiff() {}

  public static List<IpCommand> commands(KernelState desired, KernelState live) {
    Map<String, Link> liveLinks = new HashMap<>();
    live.links().forEach(l -> liveLinks.put(l.name(), l));
    Map<String, Link> desiredLinks = new HashMap<>();
    desired.links().forEach(l -> desiredLinks.put(l.name(), l));

    // Links that go away entirely or are re-created take their addresses, routes and neighbours
    // with them: those need no delete command, and must be re-added.
    Set<String> removedLinks = new HashSet<>();
    for (Link l : live.links()) {
      Link want = desiredLinks.get(l.name());
      if (want == null || want.needsRecreate(l)) {
        removedLinks.add(l.name());
      }
    }
    Set<String> usableLinks = new HashSet<>();
    for (Link l : desired.links()) {
      boolean exists = liveLinks.containsKey(l.name()) && !removedLinks.contains(l.name());
      if (exists || l.kind() == LinkKind.VXLAN) {
        usableLinks.add(l.name());
      }
    }

    List<IpCommand> out = new ArrayList<>();
    for (Rule r : sorted(live.rules())) {
      if (!desired.rules().contains(r)) {
        out.add(new IpCommand.DeleteRule(r));
      }
    }
    Map<Route.Key, Route> desiredRoutes = new HashMap<>();
    desired.routes().forEach(r -> desiredRoutes.put(r.key(), r));
    for (Route r : sorted(live.routes())) {
      if (!desiredRoutes.containsKey(r.key()) && !onRemoved(r.dev(), removedLinks)) {
        out.add(new IpCommand.DeleteRoute(r));
      }
    }
    Map<Neighbor.Key, Neighbor> desiredNeighbors = new HashMap<>();
    desired.neighbors().forEach(n -> desiredNeighbors.put(n.key(), n));
    for (Neighbor n : sorted(live.neighbors())) {
      if (!desiredNeighbors.containsKey(n.key()) && !removedLinks.contains(n.dev())) {
        out.add(new IpCommand.DeleteNeighbor(n));
      }
    }
    for (Address a : sorted(live.addresses())) {
      if (!desired.addresses().contains(a) && !removedLinks.contains(a.dev())) {
        out.add(new IpCommand.DeleteAddress(a));
      }
    }
    for (String name : sorted(removedLinks)) {
      out.add(new IpCommand.DeleteLink(name));
    }

    for (Link l : sorted(desired.links())) {
      Link have = removedLinks.contains(l.name()) ? null : liveLinks.get(l.name());
      if (have == null) {
        if (l.kind() == LinkKind.VXLAN) {
          out.add(new IpCommand.AddLink(l));
          out.add(new IpCommand.SetLink(l.name(), 0));
        }
      } else if (!have.up() || (l.mtu() > 0 && have.mtu() != l.mtu())) {
        out.add(
            new IpCommand.SetLink(l.name(), l.mtu() > 0 && have.mtu() != l.mtu() ? l.mtu() : 0));
      }
    }
    for (Address a : sorted(desired.addresses())) {
      if (usableLinks.contains(a.dev())
          && (removedLinks.contains(a.dev()) || !live.addresses().contains(a))) {
        out.add(new IpCommand.AddAddress(a));
      }
    }
    Map<Neighbor.Key, Neighbor> liveNeighbors = new HashMap<>();
    live.neighbors().forEach(n -> liveNeighbors.put(n.key(), n));
    for (Neighbor n : sorted(desired.neighbors())) {
      if (usableLinks.contains(n.dev())
          && (removedLinks.contains(n.dev()) || !n.equals(liveNeighbors.get(n.key())))) {
        out.add(new IpCommand.ReplaceNeighbor(n));
      }
    }
    Map<Route.Key, Route> liveRoutes = new HashMap<>();
    live.routes().forEach(r -> liveRoutes.put(r.key(), r));
    for (Route r : sorted(desired.routes())) {
      if (r.dev() != null && !usableLinks.contains(r.dev())) {
        continue;
      }
      if (onRemoved(r.dev(), removedLinks) || !r.equals(liveRoutes.get(r.key()))) {
        out.add(new IpCommand.ReplaceRoute(r));
      }
    }
    for (Rule r : sorted(desired.rules())) {
      if (!live.rules().contains(r)) {
        out.add(new IpCommand.AddRule(r));
      }
    }

    Map<FdbEntry.Key, FdbEntry> desiredFdb = new HashMap<>();
    desired.fdb().forEach(f -> desiredFdb.put(f.key(), f));
    for (FdbEntry f : sorted(live.fdb())) {
      if (!desiredFdb.containsKey(f.key()) && !removedLinks.contains(f.dev())) {
        out.add(new IpCommand.DeleteFdbEntry(f));
      }
    }
    Map<FdbEntry.Key, FdbEntry> liveFdb = new HashMap<>();
    live.fdb().forEach(f -> liveFdb.put(f.key(), f));
    for (FdbEntry f : sorted(desired.fdb())) {
      if (usableLinks.contains(f.dev())
          && (removedLinks.contains(f.dev()) || !f.equals(liveFdb.get(f.key())))) {
        out.add(new IpCommand.ReplaceFdbEntry(f));
      }
    }
    return out;
  }

  private static boolean onRemoved(String dev, Set<String> removedLinks) {
    return dev != null && removedLinks.contains(dev);
  }

  /** Deterministic order, so plans and logs are stable. */
  private static <T> List<T> sorted(Set<T> set) {
    List<T> list = new ArrayList<>(set);
    list.sort(java.util.Comparator.comparing(Object::toString));
    return list;
  }
}
