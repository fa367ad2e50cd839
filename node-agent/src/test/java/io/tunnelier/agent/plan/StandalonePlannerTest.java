package io.tunnelier.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.api.peerconfig.StandaloneConfigParser;
import io.tunnelier.api.v1alpha1.NodeDatapath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The VPS side: device, routes back into the tunnel, masquerade out of the public interface. */
class StandalonePlannerTest {
  static final String KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
  static final String PEER = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
  static final Underlay VPS = new Underlay("ens3", 1500, "203.0.113.10");

  /** A standalone site over GRE-in-UDP that routes 100.70.0.0/16 to a cluster. */
  static final String GRE_OVER_UDP_SITE =
      """
      apiVersion: tunnelier.io/v1alpha1
      kind: StandaloneConfig
      tunnels:
      - name: default/to-cluster-b
        type: SiteToSite
        encapsulation: GREoverUDP
        listen: "203.0.113.10:4754"
        peerEndpoint: "198.51.100.20:4754"
        greKey: 7
        address: 100.96.0.1/30
        peerAddress: 100.96.0.2/30
        routes: [100.70.0.0/16]
      """;

  static DesiredState plan(String yaml) throws Exception {
    return plan(yaml, Capabilities.NO_TUNNEL_MODULES);
  }

  static DesiredState plan(String yaml, Capabilities caps) throws Exception {
    return DesiredStateFunction.compute(
        StandalonePlanner.plan(StandaloneConfigParser.parse(yaml, "test"), VPS, caps));
  }

  @Test
  void rawGreVpsWithTheModuleLearnsItsPeerInUserspace() throws Exception {
    // The operator's peer.yaml has no peerEndpoint: the kernel's gre device could not take it.
    TunnelPlan p = plan(PlanFixtures.RAW_GRE_VPS, Capabilities.ALL).plans().get(0);
    assertThat(p.problem()).isNull();
    assertThat(p.device().datapath()).isEqualTo(NodeDatapath.USERSPACE);
    assertThat(p.device().datapathReason()).isEqualTo(DatapathChoice.PEER_LEARNED);
    assertThat(p.device().config())
        .isInstanceOfSatisfying(
            DatapathConfig.Gre.class,
            gre -> {
              assertThat(gre.peer()).isNull();
              assertThat(gre.allowedSources()).hasSize(2);
            });
  }

  @Test
  void rawGreWithAFixedPeerKeepsTheKernelDevice() throws Exception {
    TunnelPlan p = plan(PlanFixtures.RAW_GRE_FIXED_PEER, Capabilities.ALL).plans().get(0);
    assertThat(p.device().datapath()).isEqualTo(NodeDatapath.KERNEL);
    assertThat(p.device().datapathReason()).isEqualTo("the kernel has the gre module");
    assertThat(p.device().config().peer().getAddress().getHostAddress()).isEqualTo("198.51.100.11");
  }

  @Test
  void aVpsListeningOnIpv6LeavesRoomForTheIpv6Header() throws Exception {
    // The operator renders listen [::]:51820 for an [IPv6] peer.endpoint: 1500 - 40 - 8 - 32.
    TunnelPlan p =
        plan("""
        apiVersion: tunnelier.io/v1alpha1
        kind: StandaloneConfig
        tunnels:
        - name: scraping/egress-v6
          type: Egress
          encapsulation: WireGuard
          listen: "[::]:51820"
          privateKey: %s
          peerPublicKey: %s
          address: 100.96.0.3/31
          peerAddress: 100.96.0.2/31
        """
                .formatted(KEY, PEER))
            .plans()
            .get(0);
    assertThat(p.device().mtu()).isEqualTo(1420);
    assertThat(p.device().config())
        .isInstanceOfSatisfying(
            DatapathConfig.WireGuard.class, wg -> assertThat(wg.ipv6Underlay()).isTrue());
  }

  @Test
  void wireGuardVps() throws Exception {
    DesiredState s =
        plan(
            """
        apiVersion: tunnelier.io/v1alpha1
        kind: StandaloneConfig
        tunnels:
        - name: scraping/egress-nyc
          type: Egress
          encapsulation: WireGuard
          listen: ":51820"
          privateKey: %s
          peerPublicKey: %s
          address: 100.96.0.3/31
          peerAddress: 100.96.0.2/31
        """
                .formatted(KEY, PEER));
    TunnelPlan p = s.plans().get(0);
    assertThat(p.device().mtu()).isEqualTo(1440);
    assertThat(p.device().config())
        .isInstanceOfSatisfying(
            DatapathConfig.WireGuard.class,
            wg -> {
              assertThat(wg.listenPort()).isEqualTo(51820);
              assertThat(wg.peer()).isNull();
              assertThat(wg.privateKey()).hasSize(32);
              assertThat(wg.toString()).doesNotContain(KEY);
            });
    List<String> lines = Fixtures.describe(s);
    assertThat(lines)
        .contains(
            "nft postrouting oifname \"ens3\" ip saddr @masq_"
                + p.id().hash()
                + " masquerade comment \"scraping/egress-nyc\"",
            "nft set masq_" + p.id().hash() + " [100.96.0.2/31]",
            "nft forward iifname \""
                + p.device().name()
                + "\" oifname \"ens3\" accept comment \"scraping/egress-nyc\"");
    assertThat(lines).anyMatch(l -> l.contains("maxseg size set 1400"));
    assertThat(s.kernel().rules()).isEmpty();
    assertThat(s.kernel().addresses()).hasSize(1);
  }

  @Test
  void greVpsLearnsItsPeerOnlyFromAllowedSources() throws Exception {
    DesiredState s =
        plan(
            """
        apiVersion: tunnelier.io/v1alpha1
        kind: StandaloneConfig
        tunnels:
        - name: scraping/egress-gre
          type: Egress
          encapsulation: GREoverUDP
          listen: ":4754"
          greKey: 4243
          allowedSources: [198.51.100.11, 198.51.100.0/28]
          address: 100.96.0.3/31
          peerAddress: 100.96.0.2/31
        """);
    assertThat(s.plans().get(0).device().config())
        .isInstanceOfSatisfying(
            DatapathConfig.Gre.class,
            gre -> {
              assertThat(gre.peer()).as("learned").isNull();
              assertThat(gre.allowedSources())
                  .extracting(Object::toString)
                  .containsExactly("198.51.100.11/32", "198.51.100.0/28");
            });
  }

  @Test
  void greSiteToSiteRoutesBackAndDoesNotNat() throws Exception {
    DesiredState s = plan(GRE_OVER_UDP_SITE);
    TunnelPlan p = s.plans().get(0);
    assertThat(p.device().config())
        .isInstanceOfSatisfying(
            DatapathConfig.Gre.class,
            g -> {
              assertThat(g.udp()).isTrue();
              assertThat(g.localPort()).isEqualTo(4754);
              assertThat(g.key()).isEqualTo(7L);
              assertThat(g.peer().getPort()).isEqualTo(4754);
            });
    assertThat(Fixtures.describe(s))
        .noneMatch(l -> l.contains("masquerade") || l.contains("snat"))
        .anyMatch(l -> l.contains("rule Rule[priority=10110, from=null, to=100.70.0.0/16"))
        .anyMatch(l -> l.contains("dst=100.70.0.0/16, via=100.96.0.2, dev=" + p.device().name()));
  }

  @Test
  void aDualStackSiteRoutesItsIpv6CidrsToo() throws Exception {
    DesiredState s =
        plan(GRE_OVER_UDP_SITE.replace("[100.70.0.0/16]", "[100.70.0.0/16, fd00:70::/48]"));
    TunnelPlan p = s.plans().get(0);
    assertThat(Fixtures.describe(s))
        .anyMatch(l -> l.contains("dst=100.70.0.0/16, via=100.96.0.2, dev=" + p.device().name()))
        // IPv6 into the point-to-point device, without the IPv4 next hop; its rule is IPv6's.
        .anyMatch(l -> l.contains("dst=fd00:70::/48, via=null, dev=" + p.device().name()))
        .anyMatch(
            l ->
                l.contains("rule Rule[priority=10110, from=null, to=fd00:70::/48")
                    && l.contains("family=IPV6"))
        .anyMatch(l -> l.contains("meta nfproto ipv6 tcp flags syn / syn,rst"));
  }

  @Test
  void aVpsCarryingIpv6MasqueradesTheGatewaysIpv6InnerAddressToo() throws Exception {
    DesiredState s =
        plan(
            PlanFixtures.RAW_GRE_VPS.replace(
                "  peerAddress: 100.96.0.2/31\n",
                "  peerAddress: 100.96.0.2/31\n"
                    + "  address6: fd00:7475:6e6e::6460:3/127\n"
                    + "  peerAddress6: fd00:7475:6e6e::6460:2/127\n"));
    TunnelPlan p = s.plans().get(0);
    String dev = p.device().name();
    assertThat(Fixtures.describe(s))
        .anyMatch(l -> l.contains("fd00:7475:6e6e::6460:3/127") && l.contains(dev))
        .contains("nft set masq6_" + p.id().nftSuffix() + " [fd00:7475:6e6e::6460:2/127]")
        .anyMatch(
            l ->
                l.contains(
                    "oifname \"ens3\" ip6 saddr @masq6_" + p.id().nftSuffix() + " masquerade"))
        .anyMatch(
            l ->
                l.contains(
                    "oifname \"ens3\" ip saddr @masq_" + p.id().nftSuffix() + " masquerade"));
  }

  @Test
  void anIpv4OnlyVpsHasNoIpv6MasqueradeNorAddress() throws Exception {
    assertThat(Fixtures.describe(plan(PlanFixtures.RAW_GRE_VPS)))
        .noneMatch(l -> l.contains("masq6_") || l.contains("fd00:"));
  }
}
