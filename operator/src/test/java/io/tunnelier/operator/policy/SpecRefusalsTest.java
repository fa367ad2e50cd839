package io.tunnelier.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.TestTunnels;
import io.tunnelier.operator.policy.SpecRefusals.Refusal;
import io.tunnelier.operator.status.TunnelConditions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each refusal SpecRefusals makes, and what it lets through. */
class SpecRefusalsTest {
  private static final Map<String, String> GATEWAY = Map.of("tunnelier.io/gateway", "true");

  private static Node node(String name, Map<String, String> labels, String podCidr, String ip) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withPodCIDR(podCidr)
        .withPodCIDRs(podCidr)
        .endSpec()
        .withNewStatus()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(ip)
        .endAddress()
        .endStatus()
        .build();
  }

  private static final List<Node> NODES =
      List.of(
          node("node-b", Map.of(), "100.80.2.0/24", "192.0.2.12"),
          node("node-a", GATEWAY, "100.80.1.0/24", "192.0.2.11"));

  private static final ClusterRanges RANGES = ClusterRanges.of(NODES, List.of("100.88.0.0/16"));

  private static Optional<Refusal> refusal(Tunnel tunnel, Tunnel... others) {
    return SpecRefusals.first(tunnel, RANGES, NODES, List.of(others));
  }

  private static Tunnel siteToSite(String... remoteCidrs) {
    Tunnel t = TestTunnels.siteToSite();
    t.getSpec().getSiteToSite().setRemoteCIDRs(List.of(remoteCidrs));
    return t;
  }

  private static Tunnel egressTo(String... destinations) {
    Tunnel t = TestTunnels.egressWireGuard();
    t.getSpec().getEgress().setDestinations(List.of(destinations));
    return t;
  }

  private static Tunnel gre(String name, String created, Long key) {
    Tunnel t = TestTunnels.egressGre();
    t.getMetadata().setName(name);
    t.getMetadata().setUid("uid-" + name);
    t.getMetadata().setCreationTimestamp(created);
    t.getSpec().getPeer().setGreKey(key);
    return t;
  }

  @Test
  void clusterRangesComeFromTheConfigurationAndEveryNodeInNameOrder() {
    Node dual = node("node-c", Map.of(), "100.80.3.0/24", "192.0.2.13");
    dual.getSpec().setPodCIDRs(List.of("100.80.3.0/24", "fd00:80:3::/64"));
    // A dual-stack node may list its IPv6 InternalIP first.
    dual.getStatus()
        .getAddresses()
        .add(0, new io.fabric8.kubernetes.api.model.NodeAddress("2001:db8:0:1::13", "InternalIP"));
    dual.getStatus()
        .getAddresses()
        .add(new io.fabric8.kubernetes.api.model.NodeAddress("198.51.100.13", "ExternalIP"));
    dual.getStatus()
        .getAddresses()
        .add(new io.fabric8.kubernetes.api.model.NodeAddress("node-c.example", "Hostname"));
    List<ClusterRanges.ClusterRange> ranges =
        ClusterRanges.of(List.of(dual, NODES.get(0)), List.of("100.88.0.0/16")).ranges();
    List<String> described = ranges.stream().map(ClusterRanges.ClusterRange::description).toList();
    assertThat(described)
        .containsExactly(
            "range 100.88.0.0/16 (clusterCIDRs in the operator configuration)",
            "pod range 100.80.2.0/24 (Node node-b)",
            "node address 192.0.2.12 (InternalIP of Node node-b)",
            "pod range 100.80.3.0/24 (Node node-c)",
            "pod range fd00:80:3::/64 (Node node-c)",
            "node address 2001:db8:0:1::13 (InternalIP of Node node-c)",
            "node address 192.0.2.13 (InternalIP of Node node-c)",
            "node address 198.51.100.13 (ExternalIP of Node node-c)");
    // As the agents: the first IPv4 and the first IPv6 InternalIP are left out of egress routes.
    assertThat(
            ranges.stream()
                .filter(r -> r.description().startsWith("node address") && r.egressExcluded())
                .map(r -> r.cidr().ip()))
        .containsExactly("192.0.2.12", "2001:db8:0:1::13", "192.0.2.13");
  }

  @Test
  void ipv6RemoteCidrsOverlappingAnIpv6PodRangeAreRefused() {
    Node dual = node("node-c", Map.of(), "100.80.3.0/24", "192.0.2.13");
    dual.getSpec().setPodCIDRs(List.of("100.80.3.0/24", "fd00:80:3::/64"));
    ClusterRanges ranges = ClusterRanges.of(List.of(dual), List.of());
    assertThat(
            SpecRefusals.first(siteToSite("fd00:80::/32"), ranges, List.of(dual), List.of())
                .orElseThrow()
                .message())
        .startsWith("spec.siteToSite.remoteCIDRs[0] fd00:80::/32 overlaps this cluster's pod range")
        .contains("fd00:80:3::/64 (Node node-c)");
    assertThat(SpecRefusals.first(siteToSite("fd00:81::/32"), ranges, List.of(dual), List.of()))
        .isEmpty();
  }

  @Test
  void aConfiguredIpv6ServiceRangeIsRefusedToRemoteCidrsAndToDestinationsInsideIt() {
    ClusterRanges ranges = ClusterRanges.of(NODES, List.of("100.88.0.0/16", "fd00:88::/112"));
    assertThat(
            SpecRefusals.first(siteToSite("fd00:88::/64"), ranges, NODES, List.of())
                .orElseThrow()
                .message())
        .startsWith("spec.siteToSite.remoteCIDRs[0] fd00:88::/64 overlaps this cluster's range")
        .contains("fd00:88::/112 (clusterCIDRs in the operator configuration)");
    Tunnel egress = egressTo("0.0.0.0/0", "::/0", "fd00:88::80/128");
    assertThat(SpecRefusals.first(egress, ranges, NODES, List.of()).orElseThrow().message())
        .startsWith("spec.egress.destinations[2] fd00:88::80/128 lies inside this cluster's range")
        .contains("fd00:88::/112");
  }

  @Test
  void remoteCidrsOverlappingAPodRangeAreRefusedWiderOrNarrower() {
    assertThat(refusal(siteToSite("203.0.113.0/24", "100.80.0.0/16")))
        .contains(
            new Refusal(
                TunnelConditions.CLUSTER_RANGE_OVERLAP,
                "spec.siteToSite.remoteCIDRs[1] 100.80.0.0/16 overlaps this cluster's pod range"
                    + " 100.80.1.0/24 (Node node-a): traffic for it would leave the cluster"
                    + " through the tunnel; remove it or narrow it to the other site's ranges"));
    assertThat(refusal(siteToSite("100.80.2.128/25")).orElseThrow().message())
        .startsWith("spec.siteToSite.remoteCIDRs[0] 100.80.2.128/25 overlaps")
        .contains("pod range 100.80.2.0/24 (Node node-b)");
  }

  @Test
  void remoteCidrsOverlappingAConfiguredRangeOrANodeAddressAreRefused() {
    assertThat(refusal(siteToSite("100.88.4.0/24")).orElseThrow().message())
        .contains("range 100.88.0.0/16 (clusterCIDRs in the operator configuration)");
    assertThat(refusal(siteToSite("192.0.2.0/24")).orElseThrow().message())
        .contains("node address 192.0.2.11 (InternalIP of Node node-a)");
  }

  @Test
  void remoteCidrsApartFromTheClusterAndIpv6AreFine() {
    assertThat(refusal(siteToSite("203.0.113.0/24", "100.81.0.0/16", "fd00:20::/48"))).isEmpty();
  }

  @Test
  void anEgressDestinationThatContainsClusterRangesIsTheNormalCase() {
    assertThat(refusal(egressTo("0.0.0.0/0"))).isEmpty();
    assertThat(refusal(egressTo("100.80.0.0/16", "192.0.2.0/24"))).isEmpty();
    assertThat(refusal(TestTunnels.egressWireGuard())).as("no destinations: all").isEmpty();
  }

  @Test
  void anEgressDestinationInsideAClusterRangeIsRefused() {
    assertThat(refusal(egressTo("203.0.113.0/24", "100.88.0.10/32")))
        .contains(
            new Refusal(
                TunnelConditions.CLUSTER_RANGE_OVERLAP,
                "spec.egress.destinations[1] 100.88.0.10/32 lies inside this cluster's range"
                    + " 100.88.0.0/16 (clusterCIDRs in the operator configuration): the agents"
                    + " keep cluster traffic out of egress tunnels, so nothing would go through"
                    + " the tunnel for it; remove it (a wider destination such as 0.0.0.0/0 is"
                    + " fine: the cluster's ranges are left out of it)"));
    assertThat(refusal(egressTo("100.80.1.0/24")).orElseThrow().message())
        .contains("pod range 100.80.1.0/24 (Node node-a)");
  }

  @Test
  void anEgressDestinationOnANodesExternalIpGoesThroughTheTunnelSoItIsFine() {
    Node external = node("node-c", Map.of(), "100.80.3.0/24", "192.0.2.13");
    external
        .getStatus()
        .getAddresses()
        .add(new io.fabric8.kubernetes.api.model.NodeAddress("198.51.100.13", "ExternalIP"));
    external
        .getStatus()
        .getAddresses()
        .add(new io.fabric8.kubernetes.api.model.NodeAddress("192.0.2.23", "InternalIP"));
    ClusterRanges ranges = ClusterRanges.of(List.of(external), List.of());
    Tunnel toExternal = egressTo("198.51.100.13/32");
    assertThat(SpecRefusals.first(toExternal, ranges, List.of(external), List.of())).isEmpty();
    assertThat(SpecRefusals.first(egressTo("192.0.2.23/32"), ranges, List.of(external), List.of()))
        .as("only the first InternalIP is excluded by the agents")
        .isEmpty();
    assertThat(SpecRefusals.first(egressTo("192.0.2.13/32"), ranges, List.of(external), List.of()))
        .isPresent();
    assertThat(
            SpecRefusals.first(siteToSite("198.51.100.0/24"), ranges, List.of(external), List.of())
                .orElseThrow()
                .message())
        .contains("node address 198.51.100.13 (ExternalIP of Node node-c)");
  }

  @Test
  void anAddressInAClusterRangeIsRefusedWithAdviceForItsType() {
    Tunnel egress = TestTunnels.egressWireGuard();
    egress.getSpec().setAddress("100.88.0.10/31");
    assertThat(refusal(egress))
        .contains(
            new Refusal(
                TunnelConditions.CLUSTER_RANGE_OVERLAP,
                "spec.address 100.88.0.10/31 is in this cluster's range 100.88.0.0/16"
                    + " (clusterCIDRs in the operator configuration): the gateway would route it"
                    + " into the tunnel; choose one outside the cluster's ranges, or leave"
                    + " spec.address empty to get one from addressPool"));
    Tunnel site = siteToSite("203.0.113.0/24");
    site.getSpec().setAddress("192.0.2.10/31");
    assertThat(refusal(site).orElseThrow().message())
        .isEqualTo(
            "spec.address 192.0.2.10/31 (its peer 192.0.2.11) is in this cluster's node address"
                + " 192.0.2.11 (InternalIP of Node node-a): the gateway would route it into the"
                + " tunnel; choose a /31 outside the cluster's ranges and give the other"
                + " cluster's Tunnel its other address");
  }

  @Test
  void anAddressOutsideTheClusterOrThePoolIsFine() {
    Tunnel t = TestTunnels.egressWireGuard();
    t.getSpec().setAddress("198.51.100.2/31");
    assertThat(refusal(t)).isEmpty();
    t.getSpec().setAddress("100.88.0.0/32");
    assertThat(refusal(t)).as("an invalid address is the allocator's AddressInvalid").isEmpty();
  }

  @Test
  void theNewerOfTwoGreTunnelsWithOneKeyOnOneGatewayIsRefused() {
    Tunnel older = gre("first", "2026-01-01T00:00:00Z", 4242L);
    Tunnel newer = gre("second", "2026-01-02T00:00:00Z", 4242L);
    assertThat(refusal(newer, older, newer))
        .contains(
            new Refusal(
                TunnelConditions.GRE_KEY_CONFLICT,
                "Tunnel scraping/first (older) already uses GRE key 4242 and its gateway may be"
                    + " on node-a, node-b, as this one's: a gateway tells GRE tunnels apart by"
                    + " their key; set another spec.peer.greKey here and on the far end, or give"
                    + " the two spec.gateway.nodeSelector values that pick different nodes"));
    assertThat(refusal(older, older, newer)).as("never both").isEmpty();
  }

  @Test
  void anOlderTunnelRefusedForTheClustersRangesHoldsNoKey() {
    Tunnel older = gre("first", "2026-01-01T00:00:00Z", 4242L);
    older.getSpec().getEgress().setDestinations(List.of("100.88.0.10/32"));
    Tunnel newer = gre("second", "2026-01-02T00:00:00Z", 4242L);
    assertThat(refusal(older, older, newer).orElseThrow().reason())
        .isEqualTo(TunnelConditions.CLUSTER_RANGE_OVERLAP);
    assertThat(refusal(newer, older, newer)).isEmpty();
  }

  @Test
  void sameAgeIsDecidedByNamespaceAndName() {
    Tunnel a = gre("a", "2026-01-01T00:00:00Z", 7L);
    Tunnel b = gre("b", "2026-01-01T00:00:00Z", 7L);
    assertThat(refusal(a, a, b)).isEmpty();
    assertThat(refusal(b, a, b)).isPresent();
  }

  @Test
  void greAndGreOverUdpShareKeysButWireGuardDoesNot() {
    Tunnel older = gre("first", "2026-01-01T00:00:00Z", 4242L);
    Tunnel udp = gre("second", "2026-01-02T00:00:00Z", 4242L);
    udp.getSpec().setEncapsulation(io.tunnelier.api.v1alpha1.Encapsulation.GRE_OVER_UDP);
    assertThat(refusal(udp, older)).isPresent();
    Tunnel wireGuard = TestTunnels.egressWireGuard();
    wireGuard.getMetadata().setCreationTimestamp("2026-01-03T00:00:00Z");
    wireGuard.getSpec().getPeer().setGreKey(4242L);
    assertThat(refusal(wireGuard, older)).isEmpty();
  }

  @Test
  void differentKeysOrGatewaysThatCannotMeetAreFine() {
    Tunnel older = gre("first", "2026-01-01T00:00:00Z", 4242L);
    assertThat(refusal(gre("second", "2026-01-02T00:00:00Z", 4243L), older)).isEmpty();
    Tunnel elsewhere = gre("second", "2026-01-02T00:00:00Z", 4242L);
    older.getSpec().setGateway(new io.tunnelier.api.v1alpha1.GatewaySpec());
    older.getSpec().getGateway().setNodeSelector(GATEWAY);
    elsewhere.getSpec().setGateway(new io.tunnelier.api.v1alpha1.GatewaySpec());
    elsewhere.getSpec().getGateway().setNodeSelector(Map.of("kubernetes.io/hostname", "node-b"));
    assertThat(refusal(elsewhere, older)).as("node-a versus no node").isEmpty();
  }

  @Test
  void twoSiteToSiteGreTunnelsWithoutKeyClashToo() {
    Tunnel older = gre("first", "2026-01-01T00:00:00Z", null);
    older.getSpec().setType(io.tunnelier.api.v1alpha1.TunnelType.SITE_TO_SITE);
    older.getSpec().setSiteToSite(new io.tunnelier.api.v1alpha1.SiteToSiteSpec());
    Tunnel newer = gre("second", "2026-01-02T00:00:00Z", null);
    newer.getSpec().setType(io.tunnelier.api.v1alpha1.TunnelType.SITE_TO_SITE);
    newer.getSpec().setSiteToSite(new io.tunnelier.api.v1alpha1.SiteToSiteSpec());
    assertThat(refusal(newer, older).orElseThrow().message())
        .contains("already uses no GRE key (spec.peer.greKey)")
        .contains("set spec.peer.greKey here and on the far end");
  }

  @Test
  void theFirstProblemWinsInAFixedOrder() {
    Tunnel t = siteToSite("100.80.1.0/24");
    t.getSpec().setAddress("100.88.0.10/31");
    assertThat(refusal(t).orElseThrow().message()).startsWith("spec.siteToSite.remoteCIDRs[0]");
  }

  @Test
  void ipv4CidrContainsAWholeNetworkOnly() {
    assertThat(Cidr.parseIpv4("100.80.0.0/16").contains(Cidr.parseIpv4("100.80.1.0/24"))).isTrue();
    assertThat(Cidr.parseIpv4("100.80.1.0/24").contains(Cidr.parseIpv4("100.80.0.0/16"))).isFalse();
    assertThat(Cidr.parseIpv4("100.80.1.0/24").contains(Cidr.parseIpv4("100.80.1.7/24"))).isTrue();
  }
}
