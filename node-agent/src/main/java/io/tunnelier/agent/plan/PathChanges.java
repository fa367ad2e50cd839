package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pods whose path out of this host changed between two sets of plans: newly selected by a
 * Tunnel, no longer selected, moved to another Tunnel, or their Tunnel's way changed here (this
 * host became or stopped being the active gateway, a member's hop now points at another gateway,
 * the tunnel's addresses changed, routing appeared where only the kill switch held the pod, or the
 * Tunnel's destinations or exclusions changed). Their conntrack entries must go: the kernel keeps
 * the NAT it chose for a flow for the flow's life, so an old flow would keep the node's address (or
 * the old tunnel's) on the new path. Pure.
 */
public final class PathChanges {
  private PathChanges() {}

  /**
   * How one Tunnel takes a pod's traffic on this host; all null but {@code tunnel} while only its
   * kill switch holds the pod (drops; IPv6 always).
   *
   * @param dev where the tunnel table sends it: the tunnel device (gateway) or the hop (member)
   * @param via the next hop in the tunnel table
   * @param gateway a member's hop: the active gateway's underlay address
   * @param snatTo a gateway's source NAT: the tunnel's inner address
   * @param destinations what the Tunnel takes (or holds) of the pod's traffic: its destinations,
   *     then {@code !} and its exclusions; a flow to an address that moved in or out of them is on
   *     a new path too
   */
  record Path(
      String tunnel, String dev, String via, String gateway, String snatTo, String destinations) {}

  /** The pod addresses (IPv4 and IPv6) whose set of paths differs, in address order. */
  public static Set<InetAddress> between(List<TunnelPlan> before, List<TunnelPlan> after) {
    Map<String, Set<Path>> old = paths(before);
    Map<String, Set<Path>> now = paths(after);
    Set<String> changed = new TreeSet<>();
    for (String ip : union(old.keySet(), now.keySet())) {
      if (!Objects.equals(old.get(ip), now.get(ip))) {
        changed.add(ip);
      }
    }
    Set<InetAddress> addresses = new LinkedHashSet<>();
    for (String ip : changed) {
      addresses.add(literal(ip));
    }
    return addresses;
  }

  /** Every pod address the plans steer or hold, with its paths. */
  static Map<String, Set<Path>> paths(List<TunnelPlan> plans) {
    Map<String, Set<Path>> paths = new TreeMap<>();
    for (TunnelPlan p : plans) {
      KillSwitch ks = p.killSwitch();
      Path held =
          new Path(
              p.key(),
              null,
              null,
              null,
              null,
              ks == null ? null : scope(ks.destinations(), ks.excluded()));
      if (ks != null) {
        for (Cidr pod : ks.pods()) {
          add(paths, pod.ip(), held);
        }
        for (String v6 : ks.ipv6Addresses()) {
          add(paths, v6, held);
        }
      }
      Routing r = p.routing();
      if (r != null && !r.sources().isEmpty()) {
        Path routed =
            new Path(
                p.key(),
                r.dev(),
                r.via(),
                p.vxlan() == null ? null : p.vxlan().vxlan().remote(),
                p.nat() instanceof Nat.Snat s ? s.to() : null,
                scope(r.destinations(), r.excluded()));
        for (Cidr pod : r.sources()) {
          Set<Path> of = paths.computeIfAbsent(pod.ip(), k -> new LinkedHashSet<>());
          of.removeIf(path -> path.tunnel().equals(p.key()) && path.dev() == null);
          of.add(routed);
        }
      }
    }
    return paths;
  }

  private static String scope(List<Cidr> destinations, List<Cidr> excluded) {
    return Cidrs.strings(Cidrs.collapse(destinations))
        + " !"
        + Cidrs.strings(Cidrs.collapse(excluded));
  }

  private static void add(Map<String, Set<Path>> paths, String ip, Path path) {
    paths.computeIfAbsent(ip, k -> new LinkedHashSet<>()).add(path);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  private static InetAddress literal(String ip) {
    return Cidr.parseAddress(ip).toInetAddress();
  }
}
