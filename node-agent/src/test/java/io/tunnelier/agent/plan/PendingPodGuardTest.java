package io.tunnelier.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven: the kill switch's guard for selected pods bound to a node before their IP is known.
 * node-c runs no selected pod in {@link Fixtures#pods()}; each case adds pods and names the lines
 * that must (and must not) be in its desired state.
 */
class PendingPodGuardTest {
  static final TunnelId ID = TunnelId.of("scraping/egress");
  static final String H = ID.hash();
  static final String GUARD_C =
      "nft forward ip saddr { 100.64.3.0/24 } ip saddr != @known_pods ip daddr @dst_"
          + H
          + " ip daddr != @excl_"
          + H
          + " oifname != \""
          + ID.vxlanName()
          + "\" counter drop comment \"kill switch scraping/egress: pods without a known IP\"";

  record Case(
      String name,
      Supplier<Tunnel> tunnel,
      String node,
      List<PodInfo> pods,
      List<String> present,
      List<String> absent,
      List<NodeInfo> nodes) {
    Case(
        String name,
        Supplier<Tunnel> tunnel,
        String node,
        List<PodInfo> pods,
        List<String> present,
        List<String> absent) {
      this(name, tunnel, node, pods, present, absent, Fixtures.nodes());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static PodInfo pod(String ns, String name, String app, String ip, String node) {
    return new PodInfo(ns, name, Map.of("app", app), ip, node, false, false);
  }

  static final PodInfo NEW_SCRAPER = pod("scraping", "new-scraper", "scraper", null, "node-c");
  static final PodInfo WEB_C = pod("scraping", "web-c", "web", "100.64.3.8", "node-c");
  static final PodInfo OTHER_NS_C = pod("monitoring", "agent-c", "agent", "100.64.3.9", "node-c");

  static final PodInfo NEW_SCRAPER_B =
      pod("scraping", "new-scraper", "scraper", null, Fixtures.MEMBER);

  /** A dual-stack pod the agent knows on the member, with the link-local address it also has. */
  static final PodInfo DUAL_WEB_B =
      new PodInfo(
          "monitoring",
          "agent-b",
          Map.of("app", "agent"),
          "100.64.2.20",
          Fixtures.MEMBER,
          false,
          false,
          false,
          List.of("fd00:64:2::20", "fe80::20"));

  /** The egress Tunnel carrying IPv6: an IPv6 destination and the IPv6 inner pair. */
  static Tunnel carryingIpv6() {
    Tunnel t = Fixtures.egress("egress", Encapsulation.GRE);
    t.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0", "::/0"));
    t.getStatus().setTunnelAddress6("fd00:7475:6e6e::6460:2/127");
    t.getStatus().setPeerAddress6("fd00:7475:6e6e::6460:3/127");
    return t;
  }

  static Stream<Case> cases() {
    Supplier<Tunnel> egress = () -> Fixtures.egress("egress", Encapsulation.GRE);
    String guard4B =
        "nft forward ip saddr { 100.64.2.0/24 } ip saddr != @known_pods ip daddr @dst_" + H;
    return Stream.of(
        new Case(
            "a selected pod bound to a node without selected pods yet: only the guard",
            egress,
            "node-c",
            List.of(NEW_SCRAPER, WEB_C, OTHER_NS_C),
            List.of(
                GUARD_C,
                // the pods the agent knows on node-c, of every namespace, pass the guard
                "nft set known_pods [100.64.3.8, 100.64.3.9]",
                "nft set pods_" + H + " []",
                "nft set dst_" + H + " [0.0.0.0/0]"),
            List.of("link", "rule", "route", "snat")),
        new Case(
            "the same pod once its IP is known: a selected pod like any other, no guard",
            egress,
            "node-c",
            List.of(pod("scraping", "new-scraper", "scraper", "100.64.3.5", "node-c"), WEB_C),
            List.of(
                "rule Rule[priority=10100, from=100.64.3.5/32",
                "nft set pods_" + H + " [100.64.3.5]",
                "oifname != \"" + ID.vxlanName() + "\" counter drop comment \"kill switch"),
            List.of("known_pods", "without a known IP")),
        new Case(
            "an unselected pod without an IP: no guard, nothing on a node without selected pods",
            egress,
            "node-c",
            List.of(pod("scraping", "new-web", "web", null, "node-c"), WEB_C),
            List.of(),
            List.of("nft", "link", "rule")),
        new Case(
            "a selected pod without an IP on another node: no guard here",
            egress,
            "node-c",
            List.of(pod("scraping", "new-scraper", "scraper", null, "node-b"), WEB_C),
            List.of(),
            List.of("nft", "link", "rule")),
        new Case(
            "pods that finished, are being deleted or use the host's network are not known pods",
            egress,
            "node-c",
            List.of(
                NEW_SCRAPER,
                OTHER_NS_C,
                new PodInfo("batch", "done", Map.of(), "100.64.3.20", "node-c", false, true),
                // its IP may already be the new pod's: a deleted pod's object can outlive it
                new PodInfo(
                    "batch", "leaving", Map.of(), "100.64.3.21", "node-c", false, false, true),
                new PodInfo("kube-system", "proxy", Map.of(), "192.0.2.13", "node-c", true, false)),
            List.of(GUARD_C, "nft set known_pods [100.64.3.9]"),
            List.of("100.64.3.20", "100.64.3.21", "192.0.2.13]")),
        new Case(
            "on the gateway: the guard next to the routing of its known selected pod",
            egress,
            Fixtures.GW,
            List.of(pod("scraping", "new-scraper", "scraper", null, Fixtures.GW)),
            List.of(
                "nft forward ip saddr { 100.64.1.0/24 } ip saddr != @known_pods",
                "oifname != \""
                    + ID.deviceName()
                    + "\" counter drop comment \"kill switch scraping/egress: pods without",
                "nft set known_pods [100.64.1.5]",
                "rule Rule[priority=10100, from=100.64.1.5/32"),
            List.of()),
        new Case(
            "kill switch off: no guard",
            () -> {
              Tunnel t = Fixtures.egress("egress", Encapsulation.GRE);
              t.getSpec().getEgress().setKillSwitch(false);
              return t;
            },
            "node-c",
            List.of(NEW_SCRAPER, WEB_C),
            List.of(),
            List.of("nft", "link")),
        new Case(
            "a node without pod CIDRs: no guard (it cannot tell a pod's source from others)",
            egress,
            "node-z",
            List.of(pod("scraping", "new-scraper", "scraper", null, "node-z")),
            List.of(),
            List.of("nft", "link")),
        new Case(
            "a dual-stack node, the Tunnel carrying no IPv6: a new pod's IPv6 is dropped but"
                + " link-local, as a selected pod's",
            egress,
            Fixtures.MEMBER,
            List.of(NEW_SCRAPER_B, DUAL_WEB_B),
            List.of(
                guard4B,
                "nft forward ip6 saddr { fd00:64:2::/64 } ip6 saddr != @known_pods6 ip6 daddr !="
                    + " fe80::/10 counter drop comment \"kill switch scraping/egress: IPv6 of pods"
                    + " without a known IP\"",
                "nft set known_pods6 [fd00:64:2::20]",
                "nft set known_pods [100.64.2.7, 100.64.2.9, 100.64.2.11, 100.64.2.20]"),
            List.of(),
            Fixtures.DUAL_STACK_NODES),
        new Case(
            "a dual-stack node, the Tunnel carrying IPv6: the IPv6 guard holds the IPv6"
                + " destinations",
            PendingPodGuardTest::carryingIpv6,
            Fixtures.MEMBER,
            List.of(NEW_SCRAPER_B, DUAL_WEB_B),
            List.of(
                guard4B,
                "nft forward ip6 saddr { fd00:64:2::/64 } ip6 saddr != @known_pods6 ip6 daddr"
                    + " @dst6_"
                    + H
                    + " ip6 daddr != @excl6_"
                    + H
                    + " oifname != \""
                    + ID.vxlanName()
                    + "\" counter drop comment \"kill switch scraping/egress: IPv6 of pods without"
                    + " a known IP\"",
                "nft set known_pods6 [fd00:64:2::20]"),
            List.of("fe80::/10 counter drop"),
            Fixtures.DUAL_STACK_NODES),
        new Case(
            "an IPv6-only pod the agent knows passes the IPv6 guard",
            PendingPodGuardTest::carryingIpv6,
            Fixtures.MEMBER,
            List.of(
                NEW_SCRAPER_B,
                new PodInfo(
                    "monitoring",
                    "v6-only",
                    Map.of(),
                    null,
                    Fixtures.MEMBER,
                    false,
                    false,
                    false,
                    List.of("fd00:64:2::30"))),
            List.of("nft set known_pods6 [fd00:64:2::30]"),
            List.of(),
            Fixtures.DUAL_STACK_NODES),
        new Case(
            "an IPv4-only node: no IPv6 guard and no IPv6 set of known pods",
            PendingPodGuardTest::carryingIpv6,
            "node-c",
            List.of(NEW_SCRAPER, WEB_C),
            List.of(GUARD_C),
            List.of("known_pods6", "IPv6 of pods without"),
            Fixtures.DUAL_STACK_NODES));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void guard(Case c) {
    List<TunnelPlan> plans =
        ClusterPlanner.plan(
            withNodes(Fixtures.snapshotWithPods(c.pods(), c.tunnel().get()), c.nodes()),
            Fixtures.ctx(c.node(), Capabilities.NO_TUNNEL_MODULES));
    List<String> lines = Fixtures.describe(DesiredStateFunction.compute(plans));
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
    assertThat(plans).allSatisfy(p -> assertThat(p.problem()).isNull());
  }

  private static ClusterSnapshot withNodes(ClusterSnapshot s, List<NodeInfo> nodes) {
    return new ClusterSnapshot(s.tunnels(), nodes, s.pods(), s.keys());
  }
}
