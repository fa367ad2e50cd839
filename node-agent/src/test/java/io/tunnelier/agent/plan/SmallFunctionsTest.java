package io.tunnelier.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import io.tunnelier.api.v1alpha1.DatapathMode;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.NodeDatapath;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmallFunctionsTest {
  @ParameterizedTest(name = "{0} {1} gre={2} wg={3} tun={4} -> {5}")
  @CsvSource({
    "AUTO, GRE, true, false, true, KERNEL",
    "AUTO, GRE, false, false, true, USERSPACE",
    "AUTO, WIREGUARD, false, true, true, KERNEL",
    "AUTO, GRE_OVER_UDP, true, true, true, USERSPACE",
    "USERSPACE, WIREGUARD, true, true, true, USERSPACE",
    "KERNEL, GRE, false, false, true, 'no gre module'",
    "KERNEL, GRE_OVER_UDP, true, true, true, 'userspace datapath only'",
    "AUTO, WIREGUARD, false, false, false, 'neither the wireguard module nor the TUN device'",
  })
  void datapathChoice(
      DatapathMode mode,
      Encapsulation encap,
      boolean gre,
      boolean wg,
      boolean tun,
      String expected) {
    DatapathChoice.Result r =
        DatapathChoice.choose(mode, encap, new Capabilities(tun, gre, wg, true, true));
    if (expected.equals("KERNEL") || expected.equals("USERSPACE")) {
      assertThat(r.datapath()).isEqualTo(NodeDatapath.valueOf(expected));
    } else {
      assertThat(r.problem()).contains(expected);
    }
  }

  @Test
  void clusterRangesHoldEveryNodesPodCidrsAndItsInternalIpOfEachFamily() {
    List<Cidr> ranges =
        ClusterPlanner.clusterRanges(
            List.of(
                new NodeInfo(
                    "node-a",
                    "192.0.2.11",
                    List.of("100.64.1.0/24", "fd00:64:1::/64"),
                    "2001:db8:0:1::11"),
                new NodeInfo("node-b", "192.0.2.12", List.of("100.64.2.0/24"))),
            List.of(Cidr.parse("fd00:71::/112")));
    assertThat(Cidrs.strings(ranges))
        .containsExactly(
            "fd00:71::/112",
            "100.64.1.0/24",
            "fd00:64:1::/64",
            "192.0.2.11",
            "2001:db8:0:1::11",
            "100.64.2.0/24",
            "192.0.2.12");
  }

  @Test
  void labelSelectors() {
    LabelSelector s = new LabelSelector();
    s.setMatchLabels(Map.of("app", "scraper"));
    s.setMatchExpressions(
        List.of(
            new LabelSelectorRequirement("tier", "In", List.of("a", "b")),
            new LabelSelectorRequirement("canary", "DoesNotExist", null)));
    assertThat(Selectors.matches(s, Map.of("app", "scraper", "tier", "a"))).isTrue();
    assertThat(Selectors.matches(s, Map.of("app", "scraper", "tier", "c"))).isFalse();
    assertThat(Selectors.matches(s, Map.of("app", "scraper", "tier", "a", "canary", "x")))
        .isFalse();
    assertThat(Selectors.matches(null, Map.of("app", "scraper"))).isFalse();
  }

  @Test
  void tunnelIdsAreStableShortAndCollisionFree() {
    TunnelId id = TunnelId.of("scraping/egress-nyc");
    assertThat(id).isEqualTo(TunnelId.of("scraping/egress-nyc"));
    assertThat(id.deviceName()).hasSizeLessThanOrEqualTo(15).startsWith("tnl-");
    assertThat(id.vxlanName()).hasSizeLessThanOrEqualTo(15).startsWith("tnlv-");
    assertThat(id.gatewayMac()).matches("02(:[0-9a-f]{2}){5}");
    // Many keys: every table distinct and in range.
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      keys.add("ns/t" + i);
    }
    Map<String, TunnelId> ids = TunnelIds.assign(keys);
    assertThat(ids.values().stream().map(TunnelId::table).distinct()).hasSize(2000);
    assertThat(ids.values()).allMatch(t -> t.table() >= 0x540000 && t.table() <= 0x54ffff);
  }

  @Test
  void collidingNameSuffixesAndVnisMoveTheYoungerTunnelOnly() {
    // Found by search: these keys' SHA-256 agree in the 32 bits of the name suffix...
    assertThat(TunnelId.of("tenant/t13751").hash()).isEqualTo(TunnelId.of("tenant/t16664").hash());
    // ...and these in the 24 bits of the VNI.
    assertThat(TunnelId.of("tenant/t2232").vni()).isEqualTo(TunnelId.of("tenant/t5216").vni());

    Map<String, TunnelId> ids =
        TunnelIds.assign(List.of("tenant/t16664", "tenant/t13751", "tenant/t5216", "tenant/t2232"));

    // The older (first) keeps its hashed identity; the younger moves, and names stay valid.
    assertThat(ids.get("tenant/t16664")).isEqualTo(TunnelId.of("tenant/t16664"));
    assertThat(ids.get("tenant/t13751").deviceName())
        .isNotEqualTo(ids.get("tenant/t16664").deviceName())
        .matches("tnl-[0-9a-f]{8}");
    assertThat(ids.get("tenant/t13751").vni()).isEqualTo(TunnelId.of("tenant/t13751").vni());
    assertThat(ids.get("tenant/t5216")).isEqualTo(TunnelId.of("tenant/t5216"));
    assertThat(ids.get("tenant/t2232").vni()).isEqualTo(TunnelId.of("tenant/t5216").vni() + 1);
    assertThat(ids.get("tenant/t2232").deviceName())
        .isEqualTo(TunnelId.of("tenant/t2232").deviceName());

    // Every node that sees the same Tunnels in the same order arrives at the same identities.
    assertThat(
            TunnelIds.assign(
                List.of("tenant/t16664", "tenant/t13751", "tenant/t5216", "tenant/t2232")))
        .isEqualTo(ids);
    // Alone, the younger one gets its hashed identity back.
    assertThat(TunnelIds.assign(List.of("tenant/t13751")).get("tenant/t13751"))
        .isEqualTo(TunnelId.of("tenant/t13751"));
  }

  @Test
  void theOlderOfTwoTunnelsWithCollidingVnisKeepsItsVni() {
    // "tenant/t2232" and "tenant/t5216" hash to the same VNI; t2232 comes first by name.
    io.tunnelier.api.v1alpha1.Tunnel younger = Fixtures.egress("t2232", Encapsulation.GRE);
    io.tunnelier.api.v1alpha1.Tunnel older = Fixtures.egress("t5216", Encapsulation.GRE);
    younger.getMetadata().setNamespace("tenant");
    older.getMetadata().setNamespace("tenant");
    younger.getMetadata().setCreationTimestamp("2026-11-02T10:00:00Z");
    older.getMetadata().setCreationTimestamp("2026-11-01T10:00:00Z");

    Map<String, TunnelId> ids = new java.util.HashMap<>();
    ClusterPlanner.plan(
            Fixtures.snapshot(younger, older),
            Fixtures.ctx(Fixtures.GW, Capabilities.NO_TUNNEL_MODULES))
        .forEach(p -> ids.put(p.key(), p.id()));

    assertThat(ids.get("tenant/t5216").vni()).isEqualTo(TunnelId.of("tenant/t5216").vni());
    assertThat(ids.get("tenant/t2232").vni()).isNotEqualTo(ids.get("tenant/t5216").vni());
    // Both are programmed: VXLAN hops with distinct VNIs.
    assertThat(ids).hasSize(2);
  }

  @Test
  void aSiteToSiteTunnelWhoseRemoteCidrsOverlapTheClusterIsRefusedAloneOnTheNode() {
    io.tunnelier.api.v1alpha1.Tunnel bad = Fixtures.siteToSite("bad");
    // Inside node-b's pod CIDR (100.64.2.0/24).
    bad.getSpec().getSiteToSite().setRemoteCIDRs(List.of("100.80.0.0/16", "100.64.2.0/25"));
    io.tunnelier.api.v1alpha1.Tunnel good = Fixtures.siteToSite("good");
    for (io.tunnelier.api.v1alpha1.Tunnel t : List.of(bad, good)) {
      t.getSpec().setEncapsulation(Encapsulation.GRE);
      t.getSpec().getPeer().setPublicKey(null);
      t.getSpec().getPeer().setEndpoint("203.0.113.139");
    }
    good.getSpec().getPeer().setGreKey(4301L);

    Map<String, TunnelPlan> plans = new java.util.HashMap<>();
    ClusterPlanner.plan(
            Fixtures.snapshot(bad, good), Fixtures.ctx(Fixtures.GW, Capabilities.NO_TUNNEL_MODULES))
        .forEach(p -> plans.put(p.key(), p));

    assertThat(plans.get("scraping/bad").problem())
        .contains("spec.siteToSite.remoteCIDRs: 100.64.2.0/25 overlaps this cluster's own range");
    assertThat(plans.get("scraping/bad").routing()).isNull();
    assertThat(plans.get("scraping/good").problem()).isNull();
    assertThat(plans.get("scraping/good").routing()).isNotNull();
  }

  @Test
  void cidrsCollapseForIntervalSets() {
    assertThat(
            Cidrs.collapse(
                Cidrs.parseAll(
                    List.of(
                        "100.64.1.0/24",
                        "100.64.0.0/16",
                        "192.0.2.11",
                        "192.0.2.11",
                        "0.0.0.0/0"))))
        .containsExactly(Cidr.parseIpv4("0.0.0.0/0"));
    assertThat(
            Cidrs.strings(
                Cidrs.collapse(
                    Cidrs.parseAll(List.of("192.0.2.12", "100.64.1.0/24", "192.0.2.11")))))
        .containsExactly("100.64.1.0/24", "192.0.2.11", "192.0.2.12");
  }

  @Test
  void mtu() {
    IpFamily v4 = IpFamily.IPV4;
    assertThat(Mtu.tunnel(0, null, 1500, Encapsulation.WIREGUARD, v4)).isEqualTo(1440);
    assertThat(Mtu.tunnel(0, 0, 1500, Encapsulation.GRE, v4)).isEqualTo(1472);
    assertThat(Mtu.tunnel(null, 1400, 1500, Encapsulation.GRE_OVER_UDP, v4)).isEqualTo(1400);
    assertThat(Mtu.tunnel(1300, 1400, 1500, Encapsulation.GRE, v4)).isEqualTo(1300);
  }

  @Test
  void anIpv6UnderlayLeavesRoomForItsFortyByteHeader() {
    IpFamily v6 = IpFamily.IPV6;
    // wg-quick's 1420: 40 + UDP 8 + WireGuard 32.
    assertThat(Mtu.tunnel(0, null, 1500, Encapsulation.WIREGUARD, v6)).isEqualTo(1420);
    assertThat(Mtu.tunnel(0, null, 1500, Encapsulation.GRE, v6)).isEqualTo(1452);
    assertThat(Mtu.tunnel(0, null, 1500, Encapsulation.GRE_OVER_UDP, v6)).isEqualTo(1444);
    assertThat(Mtu.tunnel(1300, null, 1500, Encapsulation.GRE, v6)).isEqualTo(1300);
  }

  @Test
  void theUnderlayIsIpv6WhenAnyPeerIsAnIpv6Literal() {
    assertThat(Mtu.underlayFamily(List.of("203.0.113.10:51820"))).isEqualTo(IpFamily.IPV4);
    assertThat(Mtu.underlayFamily(List.of("vps.example.test:51820"))).isEqualTo(IpFamily.IPV4);
    assertThat(Mtu.underlayFamily(List.of("[2001:db8::10]:51820"))).isEqualTo(IpFamily.IPV6);
    assertThat(Mtu.underlayFamily(List.of("[::]:51820"))).isEqualTo(IpFamily.IPV6);
    // A backup VPS over IPv6: one MTU that fits whichever VPS is active.
    assertThat(Mtu.underlayFamily(List.of("203.0.113.10:51820", "[2001:db8::20]:51820")))
        .isEqualTo(IpFamily.IPV6);
    assertThat(Mtu.underlayFamily(Arrays.asList(null, "", "not an endpoint!")))
        .isEqualTo(IpFamily.IPV4);
  }
}
