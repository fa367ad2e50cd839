package io.tunnelier.agent.plan;

import static io.tunnelier.agent.plan.Fixtures.GW;
import static io.tunnelier.agent.plan.Fixtures.MEMBER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.DatapathMode;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.NodeDatapath;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: cluster state and node in, kernel objects and nftables table out (as one line per
 * object). Each case lists lines that must be there (substrings), lines that must not, and how many
 * links, routes, rules and nft rules there are.
 */
class DesiredStateFunctionTest {
  static final TunnelId ID = TunnelId.of("scraping/egress");
  static final String DEV = ID.deviceName();
  static final String VX = ID.vxlanName();
  static final int T = ID.table();
  static final int R = ID.replyTable();
  static final String MEMBER_MAC = ID.memberMac(MEMBER);
  static final TunnelId S2S = TunnelId.of("scraping/s2s");

  /** On every node of a dual-stack site-to-site Tunnel: the IPv6 remote CIDR into its table. */
  static final String S2S_TO_IPV6 =
      "rule Rule[priority=10110, from=null, to=fd00:80::/48, table="
          + S2S.table()
          + ", iif=null, family=IPV6]";

  record Case(
      String name,
      Supplier<Tunnel> tunnel,
      String node,
      Capabilities caps,
      List<String> present,
      List<String> absent,
      int links,
      int routes,
      int rules,
      int nftRules,
      String problem,
      List<NodeInfo> nodes) {
    Case(
        String name,
        Supplier<Tunnel> tunnel,
        String node,
        Capabilities caps,
        List<String> present,
        List<String> absent,
        int links,
        int routes,
        int rules,
        int nftRules,
        String problem) {
      this(
          name,
          tunnel,
          node,
          caps,
          present,
          absent,
          links,
          routes,
          rules,
          nftRules,
          problem,
          Fixtures.nodes());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "egress gateway: device, VXLAN receiver, routes, pod rules, SNAT, kill switch, MSS",
            () -> Fixtures.egress("egress", Encapsulation.WIREGUARD),
            GW,
            Capabilities.NO_TUNNEL_MODULES,
            List.of(
                "link Link[name=" + DEV + ", kind=TUNNEL",
                "link Link[name="
                    + VX
                    + ", kind=VXLAN, mtu=1450, up=true, vxlan=Vxlan[vni="
                    + ID.vni()
                    + ", local=192.0.2.11, remote=null, port=4789], mac="
                    + ID.gatewayMac(),
                "addr 100.96.0.2/31 dev " + DEV,
                "route Route[table="
                    + T
                    + ", type=UNICAST, dst=0.0.0.0/0, via=100.96.0.3, dev="
                    + DEV
                    + ", onlink=true]",
                "route Route[table=" + T + ", type=THROW, dst=198.51.100.128/25",
                "route Route[table=" + T + ", type=THROW, dst=100.64.1.0/24",
                "route Route[table=" + T + ", type=THROW, dst=100.64.128.0/20",
                "route Route[table=" + T + ", type=THROW, dst=192.0.2.12/32",
                "rule Rule[priority=10100, from=100.64.1.5/32, to=null, table="
                    + T
                    + ", iif=null, family=IPV4]",
                "rule Rule[priority=10100, from=100.64.2.7/32, to=null, table="
                    + T
                    + ", iif=null, family=IPV4]",
                // Replies to the member's pod go back over the hop, to the member's hop device.
                "rule Rule[priority=10105, from=null, to=null, table="
                    + R
                    + ", iif="
                    + DEV
                    + ", family=IPV4]",
                "route Route[table="
                    + R
                    + ", type=UNICAST, dst=100.64.2.7/32, via=192.0.2.12, dev="
                    + VX
                    + ", onlink=true]",
                "neigh Neighbor[dev=" + VX + ", ip=192.0.2.12, mac=" + MEMBER_MAC + "]",
                "fdb " + MEMBER_MAC + " dev " + VX + " dst 192.0.2.12",
                "nft set pods_" + ID.hash() + " [100.64.1.5, 100.64.2.7]",
                "nft set dst_" + ID.hash() + " [0.0.0.0/0]",
                "nft postrouting oifname \"" + DEV + "\" snat ip to 100.96.0.2",
                "oifname != \"" + DEV + "\" counter drop comment \"kill switch scraping/egress\"",
                // what arrives over the hop leaves only through the tunnel as well
                "nft forward iifname \""
                    + VX
                    + "\" ip daddr @dst_"
                    + ID.hash()
                    + " ip daddr != @excl_"
                    + ID.hash()
                    + " oifname != \""
                    + DEV
                    + "\" counter drop comment \"kill switch scraping/egress: from the hop\"",
                "nft forward oifname \""
                    + DEV
                    + "\" tcp flags syn / syn,rst tcp option maxseg size > 1400 tcp option maxseg size set 1400",
                "nft forward iifname \"" + DEV + "\" tcp flags syn / syn,rst",
                "nft forward iifname \"" + DEV + "\" ct state established,related accept",
                "nft forward iifname \"" + VX + "\" accept",
                // The VPS (or whoever spoofs it) opens nothing: not to pods, not to this host.
                "nft forward iifname \""
                    + DEV
                    + "\" counter drop comment \"scraping/egress: not a reply, from "
                    + DEV
                    + "\"",
                "nft input iifname \"" + DEV + "\" ct state established,related accept",
                "nft input iifname \""
                    + DEV
                    + "\" ip daddr 100.96.0.2 icmp type echo-request accept comment \"scraping/egress:"
                    + " the peer's RTT probe\"",
                "nft input iifname \""
                    + DEV
                    + "\" counter drop comment \"scraping/egress: to this host from "
                    + DEV
                    + "\"",
                "nft input iifname \"" + VX + "\" ct state established,related accept",
                "nft input iifname \"" + VX + "\" counter drop",
                // Only the other nodes may send to the VXLAN port.
                "nft set vxlan_sources_4789 [192.0.2.12, 192.0.2.13]",
                "nft input udp dport 4789 ip saddr != @vxlan_sources_4789 counter drop comment"
                    + " \"VXLAN hop: not from a cluster node\""),
            List.of(
                "100.64.2.9",
                "192.0.2.12/32, to",
                "100.64.2.10",
                "100.64.2.11",
                "dst=100.64.1.5/32"),
            2,
            1 + 8 + 1,
            3,
            4 + 3 + 3 + 1 + 6 + 2 + 1,
            null),
        new Case(
            "egress member with a selected pod: VXLAN to the gateway, static neighbour, its pod only",
            () -> Fixtures.egress("egress", Encapsulation.WIREGUARD),
            MEMBER,
            Capabilities.NO_TUNNEL_MODULES,
            List.of(
                "link Link[name="
                    + VX
                    + ", kind=VXLAN, mtu=1450, up=true, vxlan=Vxlan[vni="
                    + ID.vni()
                    + ", local=192.0.2.12, remote=192.0.2.11, port=4789], mac="
                    + MEMBER_MAC
                    + "]",
                "neigh Neighbor[dev=" + VX + ", ip=100.96.0.2, mac=" + ID.gatewayMac() + "]",
                "route Route[table="
                    + T
                    + ", type=UNICAST, dst=0.0.0.0/0, via=100.96.0.2, dev="
                    + VX
                    + ", onlink=true]",
                "rule Rule[priority=10100, from=100.64.2.7/32",
                "nft set pods_" + ID.hash() + " [100.64.2.7]",
                "oifname != \"" + VX + "\" counter drop",
                "nft forward oifname \"" + VX + "\" accept",
                // Keeps the pod's IP into the hop: the CNI's masquerade at srcnat never sees it.
                "nft postrouting oifname \"" + VX + "\" snat ip to ip saddr comment",
                // What the gateway sends over the hop: only replies.
                "nft forward iifname \"" + VX + "\" ct state established,related accept",
                "nft forward iifname \""
                    + VX
                    + "\" counter drop comment \"scraping/egress: not a reply, from "
                    + VX
                    + "\"",
                "nft input iifname \"" + VX + "\" counter drop",
                "nft set vxlan_sources_4789 [192.0.2.11, 192.0.2.13]"),
            List.of("100.64.1.5", "snat ip to 100", DEV, "fdb", "10105", "table=" + R),
            1,
            1 + 8,
            1,
            2 + 2 + 1 + 2 + 3 + 1 + 1,
            null),
        new Case(
            "egress member without selected pods: nothing at all",
            () -> Fixtures.egress("egress", Encapsulation.WIREGUARD),
            "node-c",
            Capabilities.NO_TUNNEL_MODULES,
            List.of(),
            List.of("link", "nft"),
            0,
            0,
            0,
            0,
            null),
        new Case(
            "member while no gateway is elected: only the kill switch",
            () -> {
              Tunnel t = Fixtures.egress("egress", Encapsulation.WIREGUARD);
              t.getStatus().setActiveGateway(null);
              return t;
            },
            MEMBER,
            Capabilities.NO_TUNNEL_MODULES,
            List.of(
                "oifname != \"" + VX + "\" counter drop",
                "nft set pods_" + ID.hash() + " [100.64.2.7]"),
            List.of("link", "route", "rule"),
            0,
            0,
            0,
            2,
            "no active gateway"),
        new Case(
            "gateway before the operator allocated addresses: only the kill switch",
            () -> {
              Tunnel t = Fixtures.egress("egress", Encapsulation.WIREGUARD);
              t.getStatus().setTunnelAddress(null);
              return t;
            },
            GW,
            Capabilities.NO_TUNNEL_MODULES,
            List.of("counter drop"),
            List.of("link", "route", "rule", "snat"),
            0,
            0,
            0,
            2,
            "waiting for the operator"),
        new Case(
            "kill switch off: no drop, no sets",
            () -> {
              Tunnel t = Fixtures.egress("egress", Encapsulation.GRE);
              t.getSpec().getEgress().setKillSwitch(false);
              return t;
            },
            GW,
            Capabilities.ALL,
            List.of("snat ip to 100.96.0.2", "not a reply"),
            List.of("kill switch", "nft set pods", "nft set dst"),
            2,
            10,
            3,
            4 + 3 + 1 + 6 + 2 + 1,
            null),
        new Case(
            "MSS clamping off",
            () -> {
              Tunnel t = Fixtures.egress("egress", Encapsulation.GRE);
              t.getSpec().setMssClamp(false);
              return t;
            },
            GW,
            Capabilities.ALL,
            List.of("counter drop"),
            List.of("maxseg"),
            2,
            10,
            3,
            2 + 3 + 1 + 1 + 6 + 2 + 1,
            null),
        new Case(
            "GRE clamps to the VXLAN hop when it is the narrower one (1472 > 1450)",
            () -> Fixtures.egress("egress", Encapsulation.GRE),
            GW,
            Capabilities.ALL,
            List.of("maxseg size set 1410"),
            List.of(),
            2,
            10,
            3,
            20,
            null),
        new Case(
            "datapath Kernel without the module: reported, kill switch still on",
            () -> {
              Tunnel t = Fixtures.egress("egress", Encapsulation.GRE);
              t.getSpec().setDatapath(DatapathMode.KERNEL);
              return t;
            },
            GW,
            Capabilities.NO_TUNNEL_MODULES,
            List.of("counter drop"),
            List.of("link"),
            0,
            0,
            0,
            2,
            "no gre module"),
        new Case(
            "a Tunnel being deleted leaves nothing",
            () -> {
              Tunnel t = Fixtures.egress("egress", Encapsulation.WIREGUARD);
              t.getMetadata().setDeletionTimestamp(Instant.EPOCH.toString());
              return t;
            },
            GW,
            Capabilities.ALL,
            List.of(),
            List.of("link", "nft"),
            0,
            0,
            0,
            0,
            null),
        new Case(
            "site-to-site gateway: to-rules, pod IPs kept, every member's pod CIDR over the hop",
            () -> Fixtures.siteToSite("s2s"),
            GW,
            Capabilities.NO_TUNNEL_MODULES,
            List.of(
                "rule Rule[priority=10110, from=null, to=100.80.0.0/16",
                "dst=100.80.0.0/16, via=100.96.0.3",
                // The far side opens connections only from its CIDRs to ours, else replies only.
                "nft set remote_" + S2S.hash() + " [100.80.0.0/16]",
                "nft set local_" + S2S.hash() + " [100.64.1.0/24, 100.64.2.0/24, 100.64.3.0/24]",
                "nft forward iifname \""
                    + S2S.deviceName()
                    + "\" ip saddr @remote_"
                    + S2S.hash()
                    + " ip daddr @local_"
                    + S2S.hash()
                    + " accept",
                "nft forward iifname \"" + S2S.deviceName() + "\" ct state established,related",
                "nft forward iifname \"" + S2S.deviceName() + "\" counter drop",
                "nft forward iifname \"" + S2S.vxlanName() + "\" accept",
                "nft input iifname \"" + S2S.deviceName() + "\" counter drop",
                // What the far side sends to a member's pods goes over the hop to that member.
                "rule Rule[priority=10105, from=null, to=null, table="
                    + S2S.replyTable()
                    + ", iif="
                    + S2S.deviceName()
                    + ", family=IPV4]",
                "route Route[table="
                    + S2S.replyTable()
                    + ", type=UNICAST, dst=100.64.2.0/24, via=192.0.2.12, dev="
                    + S2S.vxlanName()
                    + ", onlink=true]",
                "route Route[table="
                    + S2S.replyTable()
                    + ", type=UNICAST, dst=100.64.3.0/24, via=192.0.2.13, dev="
                    + S2S.vxlanName()
                    + ", onlink=true]",
                "neigh Neighbor[dev="
                    + S2S.vxlanName()
                    + ", ip=192.0.2.13, mac="
                    + S2S.memberMac("node-c")
                    + "]",
                "fdb " + S2S.memberMac(MEMBER) + " dev " + S2S.vxlanName() + " dst 192.0.2.12",
                "fdb " + S2S.memberMac("node-c") + " dev " + S2S.vxlanName() + " dst 192.0.2.13",
                // Pods see each other's IPs: no masquerade of the CNI's into the tunnel or the hop.
                "nft postrouting oifname \"" + S2S.deviceName() + "\" snat ip to ip saddr",
                "nft postrouting oifname \"" + S2S.vxlanName() + "\" snat ip to ip saddr"),
            List.of("snat ip to 100", "kill switch", "from=100", "100.64.1.0/24, via"),
            2,
            1 + 2,
            1 + 1,
            4 + 5 + 6 + 2 + 2,
            null),
        new Case(
            "site-to-site with localCIDRs: the far side may open connections to those only",
            () -> {
              Tunnel t = Fixtures.siteToSite("s2s");
              t.getSpec().getSiteToSite().setLocalCIDRs(List.of("100.64.2.0/24", "100.64.0.0/16"));
              return t;
            },
            GW,
            Capabilities.NO_TUNNEL_MODULES,
            List.of("nft set local_" + S2S.hash() + " [100.64.0.0/16]"),
            List.of("100.64.1.0/24, 100.64.2.0/24"),
            2,
            1 + 2,
            1 + 1,
            4 + 5 + 6 + 2 + 2,
            null),
        new Case(
            "site-to-site member: every node routes the remote CIDRs over the hop, pod IPs kept",
            () -> Fixtures.siteToSite("s2s"),
            "node-c",
            Capabilities.NO_TUNNEL_MODULES,
            List.of(
                "remote=192.0.2.11, port=4789], mac=" + S2S.memberMac("node-c"),
                "rule Rule[priority=10110, from=null, to=100.80.0.0/16",
                "nft postrouting oifname \"" + S2S.vxlanName() + "\" snat ip to ip saddr",
                // What the gateway forwards over the hop passed the same filter: again here.
                "nft forward iifname \""
                    + S2S.vxlanName()
                    + "\" ip saddr @remote_"
                    + S2S.hash()
                    + " ip daddr @local_"
                    + S2S.hash()
                    + " accept",
                "nft forward iifname \"" + S2S.vxlanName() + "\" counter drop",
                "nft input iifname \"" + S2S.vxlanName() + "\" counter drop"),
            List.of("snat ip to 100", "kill switch", "fdb", "10105", "echo-request"),
            1,
            1,
            1,
            2 + 1 + 3 + 3 + 1 + 1,
            null),
        new Case(
            "dual-stack site-to-site gateway: IPv6 CIDRs routed, filtered and kept like IPv4",
            () -> Fixtures.dualStackSiteToSite("s2s"),
            GW,
            Capabilities.NO_TUNNEL_MODULES,
            List.of(
                S2S_TO_IPV6,
                // The tunnel device is point to point: no next hop for IPv6.
                "route Route[table="
                    + S2S.table()
                    + ", type=UNICAST, dst=fd00:80::/48, via=null, dev="
                    + S2S.deviceName()
                    + ", onlink=false]",
                "dst=100.80.0.0/16, via=100.96.0.3",
                "nft set remote6_" + S2S.hash() + " [fd00:80::/48]",
                "nft set local6_" + S2S.hash() + " [fd00:64:1::/64, fd00:64:2::/64]",
                "nft set local_" + S2S.hash() + " [100.64.1.0/24, 100.64.2.0/24, 100.64.3.0/24]",
                "nft forward iifname \""
                    + S2S.deviceName()
                    + "\" ip6 saddr @remote6_"
                    + S2S.hash()
                    + " ip6 daddr @local6_"
                    + S2S.hash()
                    + " accept",
                // Replies to the member's IPv6 pods: over the hop, to a link-local next hop that
                // stands for the member's IPv4 address, resolved by a permanent entry.
                "rule Rule[priority=10105, from=null, to=null, table="
                    + S2S.replyTable()
                    + ", iif="
                    + S2S.deviceName()
                    + ", family=IPV6]",
                "route Route[table="
                    + S2S.replyTable()
                    + ", type=UNICAST, dst=fd00:64:2::/64, via=fe80::c000:20c, dev="
                    + S2S.vxlanName()
                    + ", onlink=true]",
                "neigh Neighbor[dev="
                    + S2S.vxlanName()
                    + ", ip=fe80::c000:20c, mac="
                    + S2S.memberMac(MEMBER)
                    + "]",
                "nft postrouting oifname \"" + S2S.deviceName() + "\" snat ip6 to ip6 saddr",
                "nft postrouting oifname \"" + S2S.vxlanName() + "\" snat ip6 to ip6 saddr",
                // 20 bytes less than IPv4's MSS, before the rule for both families.
                "nft forward oifname \""
                    + S2S.deviceName()
                    + "\" meta nfproto ipv6 tcp flags syn / syn,rst tcp option maxseg size > 1380"
                    + " tcp option maxseg size set 1380",
                // The node's own IPv6 stays out of the devices, but for Packet Too Big.
                "nft output oifname \""
                    + S2S.vxlanName()
                    + "\" icmpv6 type packet-too-big accept comment \"scraping/s2s: path MTU\""),
            List.of("ip=fe80::c000:20d"),
            2,
            3 + 2,
            2 + 2,
            4 + 5 + 6 + 2 + 2 + 4 + 1 + 2 + 2,
            null,
            Fixtures.DUAL_STACK_NODES),
        new Case(
            "dual-stack site-to-site member: IPv6 CIDRs over the hop to the gateway's link-local"
                + " stand-in",
            () -> Fixtures.dualStackSiteToSite("s2s"),
            MEMBER,
            Capabilities.NO_TUNNEL_MODULES,
            List.of(
                S2S_TO_IPV6,
                "route Route[table="
                    + S2S.table()
                    + ", type=UNICAST, dst=fd00:80::/48, via=fe80::6460:2, dev="
                    + S2S.vxlanName()
                    + ", onlink=true]",
                "neigh Neighbor[dev="
                    + S2S.vxlanName()
                    + ", ip=fe80::6460:2, mac="
                    + S2S.gatewayMac()
                    + "]",
                "nft forward iifname \""
                    + S2S.vxlanName()
                    + "\" ip6 saddr @remote6_"
                    + S2S.hash()
                    + " ip6 daddr @local6_"
                    + S2S.hash()
                    + " accept",
                "nft postrouting oifname \"" + S2S.vxlanName() + "\" snat ip6 to ip6 saddr"),
            List.of("10105", "fdb"),
            1,
            2,
            2,
            2 + 1 + 3 + 3 + 1 + 1 + 2 + 1 + 1 + 1,
            null,
            Fixtures.DUAL_STACK_NODES),
        new Case(
            "IPv4-only site-to-site on a dual-stack cluster: nothing IPv6 is programmed",
            () -> Fixtures.siteToSite("s2s"),
            GW,
            Capabilities.NO_TUNNEL_MODULES,
            List.of("dst=100.64.2.0/24, via=192.0.2.12"),
            List.of("fd00", "fe80", "IPV6", "ip6"),
            2,
            1 + 2,
            1 + 1,
            4 + 5 + 6 + 2 + 2,
            null,
            Fixtures.DUAL_STACK_NODES),
        new Case(
            "site-to-site gateway: a node without pod CIDRs or InternalIP gets nothing over the hop",
            () -> Fixtures.siteToSite("s2s"),
            GW,
            Capabilities.NO_TUNNEL_MODULES,
            List.of(
                "dst=100.64.2.0/24, via=192.0.2.12",
                "nft set local_" + S2S.hash() + " [100.64.1.0/24, 100.64.2.0/24, 100.64.4.0/24]"),
            List.of("via=192.0.2.13", "dst 192.0.2.13", "ip=192.0.2.13", "100.64.3.0/24"),
            2,
            1 + 1,
            1 + 1,
            4 + 5 + 6 + 2 + 2,
            null,
            List.of(
                new NodeInfo(GW, "192.0.2.11", List.of("100.64.1.0/24")),
                new NodeInfo(MEMBER, "192.0.2.12", List.of("100.64.2.0/24")),
                new NodeInfo("node-c", "192.0.2.13", List.of()),
                new NodeInfo("node-d", null, List.of("100.64.4.0/24")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void desiredState(Case c) {
    List<TunnelPlan> plans =
        ClusterPlanner.plan(
            Fixtures.snapshot(c.nodes(), c.tunnel().get()), Fixtures.ctx(c.node(), c.caps()));
    DesiredState state = DesiredStateFunction.compute(plans);
    List<String> lines = Fixtures.describe(state);
    String all = String.join("\n", lines);
    for (String p : c.present()) {
      assertThat(lines)
          .as("expected a line containing %s in%n%s", p, all)
          .anyMatch(l -> l.contains(p));
    }
    for (String a : c.absent()) {
      assertThat(lines)
          .as("expected no line containing %s in%n%s", a, all)
          .noneMatch(l -> l.contains(a));
    }
    assertThat(state.kernel().links()).as(all).hasSize(c.links());
    assertThat(state.kernel().routes()).as(all).hasSize(c.routes());
    assertThat(state.kernel().rules()).as(all).hasSize(c.rules());
    assertThat(state.nft().chains().stream().mapToInt(ch -> ch.rules().size()).sum())
        .as(all)
        .isEqualTo(c.nftRules());
    if (c.problem() == null) {
      assertThat(plans).allSatisfy(p -> assertThat(p.problem()).isNull());
    } else {
      assertThat(plans).anySatisfy(p -> assertThat(p.problem()).contains(c.problem()));
    }
  }

  /** A selected pod on the member with an IPv4, an IPv6 and a link-local address. */
  static final PodInfo DUAL_STACK_POD =
      new PodInfo(
          "scraping",
          "scraper-dual",
          java.util.Map.of("app", "scraper"),
          "100.64.2.20",
          MEMBER,
          false,
          false,
          false,
          List.of("fd00:64:2::14", "fe80::1"));

  @org.junit.jupiter.api.Test
  void aDualStackPodsIpv6IsDroppedOnItsOwnNodeAndCounted() {
    PodInfo dual = DUAL_STACK_POD;
    Tunnel t = Fixtures.egress("egress", Encapsulation.WIREGUARD);
    for (String node : List.of(MEMBER, GW)) {
      List<TunnelPlan> plans =
          ClusterPlanner.plan(
              Fixtures.snapshotWithPods(List.of(dual), t),
              Fixtures.ctx(node, Capabilities.NO_TUNNEL_MODULES));
      List<String> lines = Fixtures.describe(DesiredStateFunction.compute(plans));
      String all = String.join("\n", lines);
      // Always there, so a pod gaining IPv6 is an element update.
      assertThat(lines)
          .as(all)
          .contains(
              "nft forward ip6 saddr @pods6_"
                  + ID.hash()
                  + " ip6 daddr != fe80::/10 counter drop comment \"kill switch scraping/egress:"
                  + " IPv6\"");
      // The node's own IPv6 (router solicitations, MLD) never goes into our devices.
      assertThat(lines)
          .as(all)
          .contains(
              "nft output oifname \""
                  + VX
                  + "\" meta nfproto ipv6 counter drop comment \"scraping/egress: no IPv6 into "
                  + VX
                  + "\"");
      if (node.equals(MEMBER)) {
        // Its own node drops it (link-local is not in the set: it never leaves the link).
        assertThat(lines).as(all).contains("nft set pods6_" + ID.hash() + " [fd00:64:2::14]");
        assertThat(plans.get(0).killSwitch().ipv6Pods()).isEqualTo(1);
      } else {
        assertThat(lines).as(all).contains("nft set pods6_" + ID.hash() + " []");
        assertThat(lines)
            .as(all)
            .anyMatch(l -> l.startsWith("nft output oifname \"" + DEV + "\" meta nfproto ipv6"));
        assertThat(plans.get(0).killSwitch().ipv6Pods()).isZero();
      }
    }
  }

  @org.junit.jupiter.api.Test
  void anEgressWithIpv6InnerAddressesCarriesTheSelectedPodsIpv6() {
    PodInfo dual = DUAL_STACK_POD;
    Tunnel t = Fixtures.egress("egress", Encapsulation.WIREGUARD);
    t.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0", "::/0"));
    t.getSpec()
        .getEgress()
        .setExcludedDestinations(List.of("198.51.100.128/25", "2001:db8:9::/48"));
    t.getStatus().setTunnelAddress6("fd00:7475:6e6e::6460:2/127");
    t.getStatus().setPeerAddress6("fd00:7475:6e6e::6460:3/127");
    String s = ID.hash();
    String ipv6Drop =
        "ip6 saddr @pods6_"
            + s
            + " ip6 daddr @dst6_"
            + s
            + " ip6 daddr != @excl6_"
            + s
            + " oifname != \"%s\" counter drop comment \"kill switch scraping/egress: IPv6\"";

    // The gateway: the IPv6 inner address on the device, IPv6 into it, SNAT to the inner address.
    List<TunnelPlan> gw =
        ClusterPlanner.plan(
            Fixtures.snapshotWithPods(List.of(dual), t),
            Fixtures.ctx(GW, Capabilities.NO_TUNNEL_MODULES));
    List<String> lines = Fixtures.describe(DesiredStateFunction.compute(gw));
    String all = String.join("\n", lines);
    assertThat(gw.get(0).routing().notCarried()).isEmpty();
    assertThat(lines)
        .as(all)
        .anyMatch(l -> l.contains("fd00:7475:6e6e::6460:2/127") && l.contains(DEV))
        .anyMatch(l -> l.contains("dst=::/0, via=null, dev=" + DEV))
        .anyMatch(l -> l.contains("THROW") && l.contains("2001:db8:9::/48"))
        .anyMatch(l -> l.contains("from=fd00:64:2::14/128") && l.contains("family=IPV6"))
        // Replies to the member's pod go back over the hop, to its link-local stand-in.
        .anyMatch(l -> l.contains("dst=fd00:64:2::14/128") && l.contains("dev=" + VX))
        .contains(
            "nft postrouting oifname \""
                + DEV
                + "\" snat ip6 to fd00:7475:6e6e::6460:2"
                + " comment \"scraping/egress\"")
        .contains("nft set dst6_" + s + " [::/0]")
        .contains("nft set excl6_" + s + " [2001:db8:9::/48]")
        .contains("nft forward " + ipv6Drop.formatted(DEV))
        // Nothing is dropped wholesale any more.
        .noneMatch(l -> l.contains("ip6 daddr != fe80::/10 counter drop"));

    // The member: its pod's IPv6 over the hop, the kill switch letting it out only there.
    List<TunnelPlan> member =
        ClusterPlanner.plan(
            Fixtures.snapshotWithPods(List.of(dual), t),
            Fixtures.ctx(MEMBER, Capabilities.NO_TUNNEL_MODULES));
    lines = Fixtures.describe(DesiredStateFunction.compute(member));
    all = String.join("\n", lines);
    assertThat(member.get(0).killSwitch().ipv6Pods()).isZero();
    assertThat(lines)
        .as(all)
        .contains("nft set pods6_" + s + " [fd00:64:2::14]")
        .contains("nft forward " + ipv6Drop.formatted(VX))
        .anyMatch(l -> l.contains("dst=::/0, via=fe80::6460:2, dev=" + VX))
        .anyMatch(l -> l.contains("from=fd00:64:2::14/128") && l.contains("family=IPV6"))
        .contains(
            "nft postrouting oifname \""
                + VX
                + "\" snat ip6 to ip6 saddr comment"
                + " \"scraping/egress\"");
  }

  @org.junit.jupiter.api.Test
  void anIpv6DestinationWithoutIpv6InnerAddressesIsNotCarried() {
    Tunnel t = Fixtures.egress("egress", Encapsulation.WIREGUARD);
    t.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0", "::/0"));
    List<TunnelPlan> gw =
        ClusterPlanner.plan(Fixtures.snapshot(t), Fixtures.ctx(GW, Capabilities.NO_TUNNEL_MODULES));
    assertThat(gw.get(0).routing().notCarried()).hasToString("[::/0]");
    assertThat(Fixtures.describe(DesiredStateFunction.compute(gw)))
        .noneMatch(l -> l.contains("dst6_") || l.contains("snat ip6 to fd00"));
  }

  @org.junit.jupiter.api.Test
  void sameInputSameOutput() {
    var a =
        DesiredStateFunction.compute(
            ClusterPlanner.plan(
                Fixtures.snapshot(Fixtures.egress("egress", Encapsulation.GRE)),
                Fixtures.ctx(GW, Capabilities.ALL)));
    var b =
        DesiredStateFunction.compute(
            ClusterPlanner.plan(
                Fixtures.snapshot(Fixtures.egress("egress", Encapsulation.GRE)),
                Fixtures.ctx(GW, Capabilities.ALL)));
    assertThat(a.kernel()).isEqualTo(b.kernel());
    assertThat(a.nft()).isEqualTo(b.nft());
    assertThat(a.nft().fingerprint()).isEqualTo(b.nft().fingerprint());
  }

  @org.junit.jupiter.api.Test
  void autoPicksTheKernelDeviceWhenTheModuleIsThere() {
    var withModule =
        ClusterPlanner.plan(
            Fixtures.snapshot(Fixtures.egress("egress", Encapsulation.GRE)),
            Fixtures.ctx(GW, Capabilities.ALL));
    var without =
        ClusterPlanner.plan(
            Fixtures.snapshot(Fixtures.egress("egress", Encapsulation.GRE)),
            Fixtures.ctx(GW, Capabilities.NO_TUNNEL_MODULES));
    assertThat(withModule.get(0).device().datapath()).isEqualTo(NodeDatapath.KERNEL);
    assertThat(without.get(0).device().datapath()).isEqualTo(NodeDatapath.USERSPACE);
  }
}
