package io.tunnelier.agent.kernel;

import io.tunnelier.api.net.Cidr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * In-memory {@link IpRoute} with the kernel's semantics where the agent relies on them: a batch
 * stops at the first failing command (earlier ones stay applied, like {@code ip -batch}); adding
 * what exists or deleting what does not fails; routes need their device to exist and be up;
 * deleting a link takes its addresses, routes, neighbours and forwarding-database entries with it;
 * a VXLAN link with a remote gets the kernel's all-zeros entry for it. It also holds objects that
 * are not ours (a host's own links, rules and tables, that all-zeros entry), which {@link #read()}
 * must never return.
 */
public final class FakeIpRoute implements IpRoute {
  private final Map<String, Link> links = new LinkedHashMap<>();
  private final Set<Address> addresses = new HashSet<>();
  private final Map<Route.Key, Route> routes = new LinkedHashMap<>();
  private final List<Rule> rules = new ArrayList<>();
  private final Map<Neighbor.Key, Neighbor> neighbors = new LinkedHashMap<>();
  private final Map<FdbEntry.Key, FdbEntry> fdb = new LinkedHashMap<>();
  private final List<String> log = new ArrayList<>();
  private static final String ALL_ZEROS = "00:00:00:00:00:00";
  private Underlay underlay = new Underlay("eth0", 1500, "192.0.2.10");
  private Predicate<IpCommand> failOn = c -> false;
  private int applies;
  private int reads;

  public FakeIpRoute() {
    // The host's own objects: never ours.
    links.put("eth0", new Link("eth0", LinkKind.TUNNEL, 1500, true, null, null));
    links.put("cni0", new Link("cni0", LinkKind.TUNNEL, 1450, true, null, null));
    rules.add(new Rule(100, null, null, 254));
    routes.put(
        new Route.Key(254, Cidr.ipv4(0, 0)),
        new Route(254, RouteType.UNICAST, Cidr.ipv4(0, 0), "192.0.2.1", "eth0", false));
  }

  @Override
  public synchronized KernelState read() {
    reads++;
    Set<Link> ours = new HashSet<>();
    links.values().stream().filter(l -> Ownership.ownsLink(l.name())).forEach(ours::add);
    Set<String> names = new HashSet<>();
    ours.forEach(l -> names.add(l.name()));
    Set<Address> addrs = new HashSet<>();
    addresses.stream().filter(a -> names.contains(a.dev())).forEach(addrs::add);
    Set<Route> rts = new HashSet<>();
    routes.values().stream().filter(r -> Ownership.ownsTable(r.table())).forEach(rts::add);
    Set<Rule> rls = new HashSet<>();
    rules.stream().filter(r -> Ownership.ownsRule(r.priority(), r.table())).forEach(rls::add);
    Set<Neighbor> ns = new HashSet<>();
    neighbors.values().stream().filter(n -> names.contains(n.dev())).forEach(ns::add);
    Set<FdbEntry> fs = new HashSet<>();
    fdb.values().stream()
        .filter(f -> names.contains(f.dev()) && Ownership.ownsFdb(f.dev(), f.mac(), true))
        .forEach(fs::add);
    return new KernelState(ours, addrs, rts, rls, ns, fs);
  }

  @Override
  public synchronized void apply(List<IpCommand> commands) throws IOException {
    applies++;
    for (int i = 0; i < commands.size(); i++) {
      IpCommand c = commands.get(i);
      try {
        if (failOn.test(c)) {
          throw new IOException("Operation not permitted (injected)");
        }
        execute(c);
      } catch (IOException e) {
        throw new IpCommandRefused(i, e.getMessage() + " (" + c.batchLine() + ")");
      }
      log.add(c.batchLine());
    }
  }

  private void execute(IpCommand c) throws IOException {
    if (c instanceof IpCommand.AddLink a) {
      if (links.containsKey(a.link().name())) {
        throw new IOException("RTNETLINK answers: File exists: " + a.batchLine());
      }
      links.put(
          a.link().name(),
          new Link(
              a.link().name(),
              a.link().kind(),
              a.link().mtu() > 0 ? a.link().mtu() : 1500,
              false,
              a.link().vxlan(),
              a.link().mac() != null ? a.link().mac() : "0a:00:00:00:00:01"));
      if (a.link().vxlan() != null && a.link().vxlan().remote() != null) {
        FdbEntry own = new FdbEntry(a.link().name(), ALL_ZEROS, a.link().vxlan().remote());
        fdb.put(own.key(), own);
      }

    } else if (c instanceof IpCommand.DeleteLink d) {
      deleteLink(d.name());

    } else if (c instanceof IpCommand.SetLink s) {
      Link l = need(s.name());
      links.put(
          l.name(),
          new Link(l.name(), l.kind(), s.mtu() > 0 ? s.mtu() : l.mtu(), true, l.vxlan(), l.mac()));

    } else if (c instanceof IpCommand.AddAddress a) {
      need(a.address().dev());
      if (!addresses.add(a.address())) {
        throw new IOException("RTNETLINK answers: File exists: " + a.batchLine());
      }

    } else if (c instanceof IpCommand.DeleteAddress d) {
      if (!addresses.remove(d.address())) {
        throw new IOException(
            "RTNETLINK answers: Cannot assign requested address: " + d.batchLine());
      }

    } else if (c instanceof IpCommand.ReplaceRoute r) {
      if (r.route().dev() != null && !need(r.route().dev()).up()) {
        throw new IOException("Error: Nexthop device is not up: " + r.batchLine());
      }
      routes.put(r.route().key(), r.route());

    } else if (c instanceof IpCommand.DeleteRoute d) {
      if (routes.remove(d.route().key()) == null) {
        throw new IOException("RTNETLINK answers: No such process: " + d.batchLine());
      }

    } else if (c instanceof IpCommand.AddRule a) {
      if (rules.contains(a.rule())) {
        throw new IOException("RTNETLINK answers: File exists: " + a.batchLine());
      }
      rules.add(a.rule());

    } else if (c instanceof IpCommand.DeleteRule d) {
      if (!rules.remove(d.rule())) {
        throw new IOException("RTNETLINK answers: No such file or directory: " + d.batchLine());
      }

    } else if (c instanceof IpCommand.ReplaceNeighbor n) {
      need(n.neighbor().dev());
      neighbors.put(n.neighbor().key(), n.neighbor());

    } else if (c instanceof IpCommand.DeleteNeighbor n) {
      if (neighbors.remove(n.neighbor().key()) == null) {
        throw new IOException("RTNETLINK answers: No such file or directory: " + n.batchLine());
      }

    } else if (c instanceof IpCommand.ReplaceFdbEntry f) {
      if (need(f.entry().dev()).kind() != LinkKind.VXLAN) {
        throw new IOException("RTNETLINK answers: Operation not supported: " + f.batchLine());
      }
      fdb.put(f.entry().key(), f.entry());

    } else if (c instanceof IpCommand.DeleteFdbEntry f) {
      if (fdb.remove(f.entry().key()) == null) {
        throw new IOException("RTNETLINK answers: No such file or directory: " + f.batchLine());
      }
    }
  }

  private Link need(String name) throws IOException {
    Link l = links.get(name);
    if (l == null) {
      throw new IOException("Cannot find device \"" + name + "\"");
    }
    return l;
  }

  /** What a datapath does when it opens: the device appears, down, without addresses. */
  public synchronized void createDevice(String name, int mtu) {
    links.putIfAbsent(name, new Link(name, LinkKind.TUNNEL, mtu, false, null, null));
  }

  /** Deleting a link, as the kernel does it: with everything on it. */
  public synchronized void deleteLink(String name) throws IOException {
    need(name);
    links.remove(name);
    addresses.removeIf(a -> a.dev().equals(name));
    routes.values().removeIf(r -> name.equals(r.dev()));
    neighbors.values().removeIf(n -> n.dev().equals(name));
    fdb.values().removeIf(f -> f.dev().equals(name));
  }

  /** Someone else deletes a forwarding-database entry behind the agent's back. */
  public synchronized void deleteFdbBehindOurBack(FdbEntry entry) {
    fdb.remove(entry.key());
  }

  /** All forwarding-database entries, ours or not. */
  public synchronized Set<FdbEntry> allFdb() {
    return Set.copyOf(fdb.values());
  }

  /** Someone else deletes a route behind the agent's back. */
  public synchronized void deleteRouteBehindOurBack(Route route) {
    routes.remove(route.key());
  }

  /** Someone else adds a rule in our range (a leftover of an older agent, say). */
  public synchronized void addForeign(Rule rule) {
    rules.add(rule);
  }

  public synchronized void failOn(Predicate<IpCommand> predicate) {
    this.failOn = predicate;
  }

  public synchronized List<String> log() {
    return List.copyOf(log);
  }

  /** How many times the kernel was read. */
  public synchronized int reads() {
    return reads;
  }

  public synchronized int applies() {
    return applies;
  }

  /** All rules, ours or not (to check we never touch the others). */
  public synchronized List<Rule> allRules() {
    return List.copyOf(rules);
  }

  public synchronized Set<String> allLinks() {
    return Set.copyOf(links.keySet());
  }

  public void setUnderlay(Underlay underlay) {
    this.underlay = underlay;
  }

  @Override
  public Optional<Underlay> underlay() {
    return Optional.ofNullable(underlay);
  }

  @Override
  public synchronized Optional<Integer> linkMtu(String name) {
    Link l = links.get(name);
    return l == null ? Optional.empty() : Optional.of(l.mtu());
  }
}
