package io.tunnelier.agent.plan;

import io.tunnelier.agent.kernel.Address;
import io.tunnelier.agent.kernel.FdbEntry;
import io.tunnelier.agent.kernel.KernelState;
import io.tunnelier.agent.kernel.Link;
import io.tunnelier.agent.kernel.LinkKind;
import io.tunnelier.agent.kernel.Neighbor;
import io.tunnelier.agent.kernel.Ownership;
import io.tunnelier.agent.kernel.Route;
import io.tunnelier.agent.kernel.RouteType;
import io.tunnelier.agent.kernel.Rule;
import io.tunnelier.agent.nft.NftChain;
import io.tunnelier.agent.nft.NftSet;
import io.tunnelier.agent.nft.NftTable;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns tunnel plans into kernel objects and the nftables table. Pure: same plans, same result.
 *
 * <p>Chains of {@code table inet tunnelier}:
 *
 * <ul>
 *   <li>{@code forward} (filter, hook forward, priority filter - 10 = -10): TCP MSS clamping in
 *       both directions through our devices, then the kill switches (drop) and their guards for
 *       selected pods without a known IP ({@link PendingPodGuard}), then accepts for tunnel traffic
 *       and, on cluster nodes, the filter on what the far side sends in ({@link Inbound}): replies
 *       (site-to-site: also its CIDRs to ours) accepted, the rest from our devices dropped and
 *       counted. Policy accept: nothing else is dropped.
 *   <li>{@code input} (filter, hook input, priority filter - 10), cluster nodes: to this host
 *       through our devices only replies and the peer's echo request to our inner address; to the
 *       VXLAN port only from other Nodes' InternalIPs. The rest of those is dropped and counted.
 *   <li>{@code output} (filter, hook output, priority filter - 10), cluster nodes: no IPv6 of the
 *       node itself into our devices (the tunnels carry IPv6 only between site-to-site CIDRs).
 *   <li>{@code postrouting} (nat, hook postrouting, priority srcnat - 10 = 90): SNAT to the
 *       tunnel's inner address on an egress gateway, masquerade out of the public interface on a
 *       VPS, SNAT to the packet's own source out of the devices that carry pod IPs ({@link
 *       Nat.IdentitySnat}); before the CNI's own masquerading at srcnat (100), which a binding made
 *       here skips.
 * </ul>
 */
public final class DesiredStateFunction {
  public static final String FORWARD = "forward";
  public static final String POSTROUTING = "postrouting";
  public static final String INPUT = "input";
  public static final String OUTPUT = "output";

  /** Per VXLAN port ({@code _<port>}): the underlay addresses that may send to it. */
  public static final String VXLAN_SOURCES = "vxlan_sources";

  /**
   * The pods on this node the agent knows (every namespace), while a kill switch guard needs it.
   */
  public static final String KNOWN_PODS = "known_pods";

  private DesiredStateFunction() {}

  public static DesiredState compute(List<TunnelPlan> unsorted) {
    List<TunnelPlan> plans = new ArrayList<>(unsorted);
    plans.sort(Comparator.comparing(TunnelPlan::key));
    Set<Link> links = new HashSet<>();
    Set<Address> addresses = new HashSet<>();
    Set<Route> routes = new HashSet<>();
    Set<Rule> rules = new HashSet<>();
    Set<Neighbor> neighbors = new HashSet<>();
    Set<FdbEntry> fdb = new HashSet<>();
    List<NftSet> sets = new ArrayList<>();
    List<String> mss = new ArrayList<>();
    List<String> drops = new ArrayList<>();
    List<String> accepts = new ArrayList<>();
    List<String> nat = new ArrayList<>();
    List<String> input = new ArrayList<>();
    List<String> output = new ArrayList<>();
    Map<Integer, Set<Cidr>> vxlanSources = new TreeMap<>();
    Set<Cidr> knownPods = new TreeSet<>();
    Set<IpFamily> guarded = EnumSet.noneOf(IpFamily.class);

    for (TunnelPlan p : plans) {
      String comment = " comment \"" + p.key() + "\"";
      TunnelDevice dev = p.device();
      if (dev != null) {
        links.add(Link.tunnel(dev.name()));
        if (dev.address() != null) {
          addresses.add(new Address(dev.name(), dev.address()));
        }
        if (dev.address6() != null) {
          addresses.add(new Address(dev.name(), dev.address6()));
        }
      }
      List<TunnelDevice> standby =
          p.backupPeers() == null ? List.of() : p.backupPeers().standbyDevices();
      for (TunnelDevice b : standby) {
        // Up with its own addresses, so its peer's health is known before traffic needs it.
        links.add(Link.tunnel(b.name()));
        addresses.add(new Address(b.name(), b.address()));
        if (b.address6() != null) {
          addresses.add(new Address(b.name(), b.address6()));
        }
      }
      VxlanHop hop = p.vxlan();
      if (hop != null) {
        links.add(new Link(hop.name(), LinkKind.VXLAN, hop.mtu(), true, hop.vxlan(), hop.mac()));
        if (hop.nexthop() != null) {
          neighbors.add(new Neighbor(hop.name(), hop.nexthop(), hop.gatewayMac()));
        }
        if (dev != null && !hop.members().isEmpty()) {
          // What the tunnel brings for members' pods (egress replies, site-to-site traffic) goes
          // over the hop, so each member receives it on the device its pods' traffic leaves by:
          // strict reverse-path filtering (rp_filter=1) accepts it there, and accepts on this
          // node the members' traffic arriving on the hop, whose reverse path is now the hop too.
          int replies = p.id().replyTable();
          Set<IpFamily> families = new TreeSet<>();
          for (RemoteVtep m : hop.members()) {
            fdb.add(new FdbEntry(hop.name(), m.mac(), m.address()));
            neighbors.add(new Neighbor(hop.name(), m.address(), m.mac()));
            for (Cidr pod : m.pods()) {
              if (pod.isIpv6() && !carriesIpv6(p)) {
                continue; // a dual-stack cluster's IPv4-only Tunnel: nothing IPv6 comes back
              }
              families.add(pod.family());
              routes.add(viaHop(replies, pod.network(), m.address(), m.mac(), hop, neighbors));
            }
          }
          families.add(IpFamily.IPV4);
          for (IpFamily f : families) {
            rules.add(
                Rule.fromInterface(Ownership.PRIORITY_TUNNEL_REPLIES, dev.name(), replies, f));
          }
        }
      }
      Routing r = p.routing();
      if (r != null && r.dev() != null) {
        int table = p.id().table();
        boolean overHop = hop != null && r.dev().equals(hop.name());
        for (Cidr d : r.destinations()) {
          if (r.via() != null && overHop) {
            routes.add(viaHop(table, d.network(), r.via(), hop.gatewayMac(), hop, neighbors));
          } else if (r.via() != null && d.isIpv4()) {
            routes.add(Route.viaOnlink(table, d.network(), r.via(), r.dev()));
          } else {
            // The tunnel device is point to point: an IPv6 route needs no next hop on it.
            routes.add(Route.dev(table, d.network(), r.dev()));
          }
        }
        for (Cidr e : r.excluded()) {
          routes.add(Route.of(table, RouteType.THROW, e.network()));
        }
        for (Cidr s : r.sources()) {
          rules.add(Rule.fromSource(Ownership.PRIORITY_FROM_POD, s.host(), table));
        }
        if (r.toDestinations()) {
          for (Cidr d : r.destinations()) {
            rules.add(Rule.toDestination(Ownership.PRIORITY_TO_CIDR, d.network(), table));
          }
        }
      }

      List<String> ourDevs = new ArrayList<>();
      if (dev != null) {
        ourDevs.add(dev.name());
      }
      if (hop != null) {
        ourDevs.add(hop.name());
      }
      boolean ipv6 = carriesIpv6(p);
      if (p.mss() > 0) {
        for (String d : ourDevs) {
          for (String dir : List.of("oifname", "iifname")) {
            if (ipv6) {
              // The IPv6 header is 20 bytes longer; the rule below then finds nothing to lower.
              mss.add(mssClamp(dir + " \"" + d + "\" meta nfproto ipv6", p.mss() - 20, comment));
            }
            mss.add(mssClamp(dir + " \"" + d + "\"", p.mss(), comment));
          }
        }
      }

      KillSwitch ks = p.killSwitch();
      if (ks != null) {
        String s = p.id().nftSuffix();
        // One set of each per family; IPv6 ones only when the tunnel carries IPv6.
        boolean ks6 = ks.destinations().stream().anyMatch(Cidr::isIpv6);
        for (IpFamily f : ks6 ? List.of(IpFamily.IPV4, IpFamily.IPV6) : List.of(IpFamily.IPV4)) {
          String type = f == IpFamily.IPV4 ? "ipv4_addr" : "ipv6_addr";
          String fs = setSuffix(f, s);
          sets.add(
              new NftSet(
                  "pods" + fs,
                  type,
                  false,
                  Cidrs.strings(sorted(Cidrs.of(f, ks.pods()))),
                  p.key()));
          sets.add(
              new NftSet(
                  "dst" + fs,
                  type,
                  true,
                  Cidrs.strings(Cidrs.collapse(Cidrs.of(f, ks.destinations()))),
                  p.key()));
          sets.add(
              new NftSet(
                  "excl" + fs,
                  type,
                  true,
                  Cidrs.strings(Cidrs.collapse(Cidrs.of(f, ks.excluded()))),
                  p.key()));
          drops.add(
              killSwitchDrop(
                  f,
                  ip(f) + " saddr @pods" + fs,
                  s,
                  ks.allowedDev(),
                  DropRules.killSwitch(p.key(), f == IpFamily.IPV4 ? null : "IPv6")));
          if (dev != null && hop != null && hop.nexthop() == null) {
            // What members send over the hop is selected pods' traffic to the destinations: it
            // too may leave only through the tunnel. A member may route a new pod a pass before
            // this node knows it, and without a rule for it here lookup would end in the main
            // table.
            drops.add(
                killSwitchDrop(
                    f,
                    "iifname \"" + hop.name() + "\"",
                    s,
                    dev.name(),
                    DropRules.killSwitch(
                        p.key(), f == IpFamily.IPV4 ? "from the hop" : "IPv6 from the hop")));
          }
        }
        if (!ks6) {
          // The tunnel carries no IPv6: the selected pods' IPv6 would leave by the node's own way.
          sets.add(new NftSet("pods6_" + s, "ipv6_addr", false, ks.ipv6Addresses(), p.key()));
          drops.add(
              "ip6 saddr @pods6_"
                  + s
                  + " ip6 daddr != fe80::/10 counter drop comment \""
                  + DropRules.killSwitch(p.key(), "IPv6")
                  + "\"");
        }
        PendingPodGuard guard = ks.guard();
        if (guard != null) {
          knownPods.addAll(guard.knownPods().stream().map(Cidr::host).toList());
          for (IpFamily f : IpFamily.values()) {
            List<Cidr> sources = Cidrs.of(f, guard.sources());
            if (sources.isEmpty()) {
              continue;
            }
            guarded.add(f);
            String match =
                ip(f)
                    + " saddr { "
                    + String.join(", ", Cidrs.strings(Cidrs.collapse(sources)))
                    + " } "
                    + ip(f)
                    + " saddr != @"
                    + knownPodsSet(f);
            String why =
                DropRules.killSwitch(
                    p.key(),
                    f == IpFamily.IPV4
                        ? "pods without a known IP"
                        : "IPv6 of pods without a known IP");
            if (f == IpFamily.IPV4 || ks6) {
              drops.add(killSwitchDrop(f, match, s, ks.allowedDev(), why));
            } else {
              // As the selected pods' IPv6 when the tunnel carries none: all of it but link-local.
              drops.add(match + " ip6 daddr != fe80::/10 counter drop comment \"" + why + "\"");
            }
          }
        }
      }

      if (p.nat() instanceof Nat.Masquerade m) {
        String s = p.id().nftSuffix();
        for (IpFamily f : IpFamily.values()) {
          List<Cidr> sources = Cidrs.of(f, m.sources());
          if (f == IpFamily.IPV6 && sources.isEmpty()) {
            continue; // a VPS carrying IPv4 only renders as before
          }
          String fs = setSuffix(f, s);
          sets.add(
              new NftSet(
                  "masq" + fs,
                  f == IpFamily.IPV4 ? "ipv4_addr" : "ipv6_addr",
                  true,
                  Cidrs.strings(Cidrs.collapse(sources)),
                  p.key()));
          nat.add(
              "oifname \""
                  + m.outDev()
                  + "\" "
                  + ip(f)
                  + " saddr @masq"
                  + fs
                  + " masquerade"
                  + comment);
        }
        accepts.add(
            "iifname \"" + m.tunnelDev() + "\" oifname \"" + m.outDev() + "\" accept" + comment);
        accepts.add(
            "iifname \""
                + m.outDev()
                + "\" oifname \""
                + m.tunnelDev()
                + "\" ct state established,related accept"
                + comment);
      } else if (p.nat() instanceof Nat.Snat sn) {
        nat.add("oifname \"" + sn.dev() + "\" snat ip to " + sn.to() + comment);
        if (sn.to6() != null) {
          nat.add("oifname \"" + sn.dev() + "\" snat ip6 to " + sn.to6() + comment);
        }
      } else if (p.nat() instanceof Nat.IdentitySnat keep) {
        for (String d : keep.devs()) {
          nat.add("oifname \"" + d + "\" snat ip to ip saddr" + comment);
          if (ipv6) {
            nat.add("oifname \"" + d + "\" snat ip6 to ip6 saddr" + comment);
          }
        }
      }

      Inbound in = p.inbound();
      if (dev != null && !(p.nat() instanceof Nat.Masquerade)) {
        accepts.add("oifname \"" + dev.name() + "\" accept" + comment);
        if (in == null) {
          accepts.add(
              "iifname \""
                  + dev.name()
                  + "\""
                  + (p.type() == TunnelType.EGRESS ? " ct state established,related" : "")
                  + " accept"
                  + comment);
        } else {
          String addr = dev.address() == null ? null : dev.address().ip();
          fromFarSide(dev.name(), in, p, sets, accepts, input, addr);
        }
      }
      for (TunnelDevice b : standby) {
        // A standby peer's device carries only the probes: what comes in is a reply or dropped.
        if (in == null) {
          input.add("iifname \"" + b.name() + "\" ct state established,related accept" + comment);
        } else {
          fromFarSide(b.name(), in, p, sets, accepts, input, b.address().ip());
        }
        ourDevs.add(b.name());
      }
      if (in != null) {
        // The node's own IPv6 (router solicitations, MLD reports from the devices' link-local
        // addresses) never goes into them; forwarded IPv6 is not output. Packet Too Big is the
        // exception: this node sends it for a forwarded packet its next device cannot take (a
        // member's pod's over the hop, the tunnel's MTU on the gateway), and IPv6 has no other
        // way to learn the path MTU.
        for (String d : ourDevs) {
          if (ipv6) {
            output.add(
                "oifname \""
                    + d
                    + "\" icmpv6 type packet-too-big accept comment \""
                    + p.key()
                    + ": path MTU\"");
          }
          output.add(
              "oifname \""
                  + d
                  + "\" meta nfproto ipv6 counter drop comment \""
                  + DropRules.noIpv6Into(p.key(), d)
                  + "\"");
        }
      }
      if (hop != null) {
        if (hop.nexthop() == null) {
          // The gateway's hop carries the members' pods' traffic (only cluster nodes may send to
          // the VXLAN port): it goes on into the tunnel, or back to them.
          accepts.add("iifname \"" + hop.name() + "\" accept" + comment);
          if (in != null) {
            hostInput(hop.name(), p.key(), input, null);
          }
        } else {
          accepts.add("oifname \"" + hop.name() + "\" accept" + comment);
          if (in != null) {
            // A member's hop brings what the gateway's tunnel device let in: the same filter.
            fromFarSide(hop.name(), in, p, sets, accepts, input, null);
          }
        }
        if (in != null) {
          vxlanSources
              .computeIfAbsent(hop.vxlan().port(), k -> new TreeSet<>())
              .addAll(in.vxlanSources());
        }
      }
    }

    for (IpFamily f : guarded) {
      // One set per family for every Tunnel's guard: pods come and go as element updates, and the
      // set exists only while a guard does (its elements change with every pod on the node).
      sets.add(
          new NftSet(
              knownPodsSet(f),
              f == IpFamily.IPV4 ? "ipv4_addr" : "ipv6_addr",
              false,
              Cidrs.strings(Cidrs.of(f, knownPods)),
              "pods on this node the agent knows"));
    }
    List<String> vxlanDrops = new ArrayList<>();
    vxlanSources.forEach(
        (port, sources) -> {
          String set = VXLAN_SOURCES + "_" + port;
          sets.add(
              new NftSet(
                  set,
                  "ipv4_addr",
                  false,
                  Cidrs.strings(List.copyOf(sources)),
                  "cluster nodes: may send to the VXLAN hop"));
          vxlanDrops.add(
              "udp dport "
                  + port
                  + " ip saddr != @"
                  + set
                  + " counter drop comment \""
                  + DropRules.VXLAN_HOP_COMMENT
                  + "\"");
        });
    List<NftChain> chains = new ArrayList<>();
    List<String> forward = new ArrayList<>(mss);
    forward.addAll(drops);
    forward.addAll(accepts);
    if (!forward.isEmpty()) {
      chains.add(new NftChain(FORWARD, "filter", "forward", "filter - 10", forward));
    }
    vxlanDrops.addAll(input);
    if (!vxlanDrops.isEmpty()) {
      chains.add(new NftChain(INPUT, "filter", "input", "filter - 10", vxlanDrops));
    }
    if (!output.isEmpty()) {
      chains.add(new NftChain(OUTPUT, "filter", "output", "filter - 10", output));
    }
    if (!nat.isEmpty()) {
      chains.add(new NftChain(POSTROUTING, "nat", "postrouting", "srcnat - 10", nat));
    }
    return new DesiredState(
        new KernelState(links, addresses, routes, rules, neighbors, fdb),
        new NftTable(sets, chains),
        List.copyOf(plans));
  }

  /**
   * What the far side sends in through {@code dev} (the tunnel device, or a member's hop):
   * forwarded only when it is a reply (or, site-to-site, from its CIDRs to ours); to this host only
   * when it is a reply or the peer's echo request to {@code innerAddress}. The rest is dropped and
   * counted.
   */
  private static void fromFarSide(
      String dev,
      Inbound in,
      TunnelPlan p,
      List<NftSet> sets,
      List<String> forward,
      List<String> input,
      String innerAddress) {
    String comment = " comment \"" + p.key() + "\"";
    String iif = "iifname \"" + dev + "\"";
    if (in.opens()) {
      // One pair of sets per family: an nftables set holds addresses of one type.
      for (IpFamily f : IpFamily.values()) {
        List<Cidr> remote = Cidrs.of(f, in.sources());
        List<Cidr> local = Cidrs.of(f, in.destinations());
        if (remote.isEmpty() || local.isEmpty()) {
          continue;
        }
        boolean v4 = f == IpFamily.IPV4;
        String s = (v4 ? "" : "6") + "_" + p.id().nftSuffix();
        String type = v4 ? "ipv4_addr" : "ipv6_addr";
        if (sets.stream().noneMatch(x -> x.name().equals("remote" + s))) {
          sets.add(new NftSet("remote" + s, type, true, Cidrs.strings(remote), p.key()));
          sets.add(new NftSet("local" + s, type, true, Cidrs.strings(local), p.key()));
        }
        String ip = v4 ? "ip" : "ip6";
        forward.add(
            iif
                + " "
                + ip
                + " saddr @remote"
                + s
                + " "
                + ip
                + " daddr @local"
                + s
                + " accept"
                + comment);
      }
    }
    forward.add(iif + " ct state established,related accept" + comment);
    forward.add(iif + " counter drop comment \"" + DropRules.notAReply(p.key(), dev) + "\"");
    hostInput(dev, p.key(), input, innerAddress);
  }

  /** To this host through {@code dev}: replies, and the peer's echo request to our address. */
  private static void hostInput(String dev, String key, List<String> input, String innerAddress) {
    String iif = "iifname \"" + dev + "\"";
    input.add(iif + " ct state established,related accept comment \"" + key + "\"");
    if (innerAddress != null) {
      input.add(
          iif
              + " ip daddr "
              + innerAddress
              + " icmp type echo-request accept comment \""
              + key
              + ": the peer's RTT probe\"");
    }
    input.add(iif + " counter drop comment \"" + DropRules.toHost(key, dev) + "\"");
  }

  /**
   * A route over the VXLAN hop to {@code ipv4} (the far end's address, with {@code mac} in the
   * hop's neighbour table); an IPv6 one goes to its {@link LinkLocalNexthop} instead, whose
   * neighbour entry (the same MAC) is added here.
   */
  private static Route viaHop(
      int table, Cidr dst, String ipv4, String mac, VxlanHop hop, Set<Neighbor> neighbors) {
    if (dst.isIpv4()) {
      return Route.viaOnlink(table, dst, ipv4, hop.name());
    }
    String nexthop = LinkLocalNexthop.of(ipv4);
    neighbors.add(new Neighbor(hop.name(), nexthop, mac));
    return Route.viaOnlink(table, dst, nexthop, hop.name());
  }

  /** Whether the tunnel routes IPv6 (site-to-site with IPv6 CIDRs). */
  private static boolean carriesIpv6(TunnelPlan p) {
    return p.routing() != null && p.routing().destinations().stream().anyMatch(Cidr::isIpv6)
        || p.inbound() != null && p.inbound().sources().stream().anyMatch(Cidr::isIpv6);
  }

  /** The set of the pods this node knows, of a family: {@value #KNOWN_PODS} for IPv4. */
  private static String knownPodsSet(IpFamily f) {
    return f == IpFamily.IPV4 ? KNOWN_PODS : KNOWN_PODS + "6";
  }

  /** The nftables payload keyword of a family: {@code ip} or {@code ip6}. */
  private static String ip(IpFamily f) {
    return f == IpFamily.IPV4 ? "ip" : "ip6";
  }

  /** A per-family set's suffix: {@code _<s>} for IPv4 (the names of before), {@code 6_<s>}. */
  private static String setSuffix(IpFamily f, String s) {
    return (f == IpFamily.IPV4 ? "_" : "6_") + s;
  }

  private static String mssClamp(String match, int mss, String comment) {
    return match
        + " tcp flags syn / syn,rst tcp option maxseg size > "
        + mss
        + " tcp option maxseg size set "
        + mss
        + comment;
  }

  private static List<Cidr> sorted(List<Cidr> cidrs) {
    return cidrs.stream().map(c -> c.host()).distinct().sorted().toList();
  }

  /**
   * A kill-switch rule: what {@code match} selects, to the tunnel's destinations (set suffix {@code
   * s}) minus the excluded ones, is dropped unless it leaves through {@code allowedDev}.
   */
  private static String killSwitchDrop(
      IpFamily f, String match, String s, String allowedDev, String comment) {
    String ip = ip(f);
    String fs = setSuffix(f, s);
    return match
        + " "
        + ip
        + " daddr @dst"
        + fs
        + " "
        + ip
        + " daddr != @excl"
        + fs
        + " oifname != \""
        + allowedDev
        + "\" counter drop comment \""
        + comment
        + "\"";
  }
}
