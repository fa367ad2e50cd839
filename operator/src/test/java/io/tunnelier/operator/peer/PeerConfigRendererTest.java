package io.tunnelier.operator.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.keys.WireGuardKeyPair;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.peerconfig.GreKeys;
import io.tunnelier.api.peerconfig.HostPort;
import io.tunnelier.api.peerconfig.StandaloneConfig;
import io.tunnelier.api.peerconfig.StandaloneTunnel;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelType;
import io.tunnelier.operator.TestTunnels;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.address.Ipv6Pool;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PeerConfigRendererTest {
  private static final String CLUSTER_PUBLIC = "Y2x1c3Rlci1wdWJsaWMta2V5LXBhZGRlZC10by0zMmI=";
  private static final WireGuardKeyPair VPS =
      new WireGuardKeyPair(
          "dnBzLXByaXZhdGUta2V5LXBhZGRlZC10by0zMi1ieXQ=",
          "dnBzLXB1YmxpYy1rZXktcGFkZGVkLXRvLTMyLWJ5dGU=");
  private static final AddressPair PAIR = AddressPair.ofSpecAddress("100.96.0.2/31");

  private static PeerConfigInputs inputs(Tunnel t, WireGuardKeyPair peer, List<String> cidrs) {
    return new PeerConfigInputs(t, PAIR, CLUSTER_PUBLIC, peer, cidrs);
  }

  @Test
  void wgQuickFileForAnEgressVps() {
    Map<String, String> data =
        PeerConfigRenderer.render(inputs(TestTunnels.egressWireGuard(), VPS, List.of()));
    assertThat(data.get("wg0.conf"))
        .endsWith(
            """
            [Interface]
            PrivateKey = %s
            Address = 100.96.0.3/31
            ListenPort = 51820

            [Peer]
            PublicKey = %s
            AllowedIPs = 100.96.0.2/32
            PersistentKeepalive = 25
            """
                .formatted(VPS.privateKey(), CLUSTER_PUBLIC))
        .doesNotContain("Endpoint =");
    assertThat(data.get("peerPublicKey")).isEqualTo(VPS.publicKey());
  }

  record Case(
      String name,
      Tunnel tunnel,
      WireGuardKeyPair peerKeys,
      List<String> podCidrs,
      TunnelType type,
      Encapsulation encapsulation,
      String listen,
      String privateKey,
      String peerPublicKey,
      Long greKey,
      Integer mtu,
      List<String> routes) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> standalone() {
    return Stream.of(
            new Case(
                "egress over WireGuard: keys, listen on the endpoint's port, no routes",
                TestTunnels.egressWireGuard(),
                VPS,
                List.of("10.244.0.0/24"),
                TunnelType.EGRESS,
                Encapsulation.WIREGUARD,
                "0.0.0.0:51820",
                VPS.privateKey(),
                CLUSTER_PUBLIC,
                null,
                null,
                null),
            new Case(
                "egress over GRE: the key, MTU, no port",
                TestTunnels.egressGre(),
                null,
                List.of(),
                TunnelType.EGRESS,
                Encapsulation.GRE,
                "0.0.0.0",
                null,
                null,
                4242L,
                1400,
                null),
            new Case(
                "site-to-site to an IPv6 endpoint, routes from the nodes' pod CIDRs",
                TestTunnels.siteToSite(),
                new WireGuardKeyPair(null, TestTunnels.PEER_PUBLIC_KEY),
                List.of("10.244.0.0/24", "10.244.1.0/24"),
                TunnelType.SITE_TO_SITE,
                Encapsulation.WIREGUARD,
                "[::]:51820",
                null,
                CLUSTER_PUBLIC,
                null,
                null,
                List.of("10.244.0.0/24", "10.244.1.0/24")))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("standalone")
  void standaloneAgentConfig(Case c) {
    String yaml =
        PeerConfigRenderer.render(inputs(c.tunnel(), c.peerKeys(), c.podCidrs())).get("peer.yaml");
    StandaloneConfig config =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml, StandaloneConfig.class);
    assertThat(config.getApiVersion()).isEqualTo("tunnelier.io/v1alpha1");
    assertThat(config.getKind()).isEqualTo("StandaloneConfig");
    assertThat(config.getTunnels()).hasSize(1);
    StandaloneTunnel t = config.getTunnels().get(0);
    assertThat(t.getName())
        .isEqualTo(
            c.tunnel().getMetadata().getNamespace() + "/" + c.tunnel().getMetadata().getName());
    assertThat(t.getType()).isEqualTo(c.type());
    assertThat(t.getEncapsulation()).isEqualTo(c.encapsulation());
    assertThat(t.getListen()).isEqualTo(c.listen());
    assertThat(t.getPeerEndpoint()).as("learned from the first packet").isNull();
    assertThat(t.getPrivateKey()).isEqualTo(c.privateKey());
    assertThat(t.getPeerPublicKey()).isEqualTo(c.peerPublicKey());
    assertThat(t.getGreKey()).isEqualTo(c.greKey());
    assertThat(t.getAddress()).isEqualTo("100.96.0.3/31");
    assertThat(t.getPeerAddress()).isEqualTo("100.96.0.2/31");
    assertThat(t.getMtu()).isEqualTo(c.mtu());
    assertThat(t.getRoutes()).isEqualTo(c.routes());
    assertThat(t.getMssClamp()).isTrue();
  }

  @Test
  void aDualStackClustersPeerConfigRoutesBothFamiliesAndTheSiteAcceptsIt() throws Exception {
    String yaml =
        PeerConfigRenderer.render(
                inputs(TestTunnels.siteToSite(), VPS, List.of("10.244.0.0/24", "fd00:244::/64")))
            .get("peer.yaml");
    // What the standalone agent at the far end reads: refused before, when routes were IPv4 only.
    StandaloneTunnel t =
        io.tunnelier.api.peerconfig.StandaloneConfigParser.parse(yaml, "peer.yaml")
            .getTunnels()
            .get(0);
    assertThat(t.getRoutes()).containsExactly("10.244.0.0/24", "fd00:244::/64");
  }

  @Test
  void anEgressCarryingIpv6GivesTheVpsItsIpv6PairAndTheVpsAcceptsIt() throws Exception {
    AddressPair pair6 = new Ipv6Pool(Cidr.parse(Ipv6Pool.DEFAULT)).embed(PAIR);
    PeerConfigInputs in =
        new PeerConfigInputs(
            TestTunnels.egressWireGuard(),
            PAIR,
            CLUSTER_PUBLIC,
            VPS,
            List.of(),
            List.of(),
            null,
            pair6);
    Map<String, String> data = PeerConfigRenderer.render(in);
    StandaloneTunnel t =
        io.tunnelier.api.peerconfig.StandaloneConfigParser.parse(data.get("peer.yaml"), "peer.yaml")
            .getTunnels()
            .get(0);
    assertThat(t.getAddress6()).isEqualTo("fd00:7475:6e6e::6460:3/127");
    assertThat(t.getPeerAddress6()).isEqualTo("fd00:7475:6e6e::6460:2/127");
    assertThat(data.get("wg0.conf"))
        .contains("Address = 100.96.0.3/31, fd00:7475:6e6e::6460:3/127")
        .contains("AllowedIPs = 100.96.0.2/32, fd00:7475:6e6e::6460:2/128")
        .contains("enable IPv4 and IPv6 forwarding");
  }

  @Test
  void anIpv4OnlyEgressHasNoIpv6Pair() {
    String yaml =
        PeerConfigRenderer.render(inputs(TestTunnels.egressWireGuard(), VPS, List.of()))
            .get("peer.yaml");
    assertThat(yaml).doesNotContain("address6").doesNotContain("peerAddress6");
  }

  @Test
  void greTellsTheVpsWhichGatewaySourcesToAccept() {
    List<String> gateways = List.of("198.51.100.11/32", "198.51.100.12/32");
    String gre =
        PeerConfigRenderer.render(
                new PeerConfigInputs(
                    TestTunnels.egressGre(), PAIR, null, null, List.of(), gateways))
            .get("peer.yaml");
    StandaloneTunnel t =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(gre, StandaloneConfig.class)
            .getTunnels()
            .get(0);
    assertThat(t.getAllowedSources()).isEqualTo(gateways);

    // Unknown (no ExternalIPs, e.g. behind NAT): nothing rendered, the VPS accepts any source.
    String open =
        PeerConfigRenderer.render(
                new PeerConfigInputs(TestTunnels.egressGre(), PAIR, null, null, List.of()))
            .get("peer.yaml");
    assertThat(open).doesNotContain("allowedSources");

    // WireGuard authenticates its peer: no list.
    String wg =
        PeerConfigRenderer.render(
                new PeerConfigInputs(
                    TestTunnels.egressWireGuard(), PAIR, CLUSTER_PUBLIC, VPS, List.of(), gateways))
            .get("peer.yaml");
    assertThat(wg).doesNotContain("allowedSources");
  }

  @Test
  void egressGreWithoutAKeyGetsOneDerivedFromTheUidAsTheGatewayDoes() {
    Tunnel t = TestTunnels.egressGre();
    t.getSpec().getPeer().setGreKey(null);
    String yaml = PeerConfigRenderer.render(inputs(t, null, List.of())).get("peer.yaml");
    StandaloneTunnel rendered =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml, StandaloneConfig.class)
            .getTunnels()
            .get(0);
    assertThat(rendered.getGreKey())
        .isNotNull()
        .isEqualTo(io.tunnelier.api.peerconfig.GreKeys.effective(t));
    // Stable: the same Tunnel (UID) renders the same key after an operator restart.
    assertThat(PeerConfigRenderer.render(inputs(t, null, List.of())).get("peer.yaml"))
        .isEqualTo(yaml);
  }

  @Test
  void siteToSiteLocalCidrsWinOverThePodCidrs() {
    Tunnel t = TestTunnels.siteToSite();
    t.getSpec().getSiteToSite().setLocalCIDRs(List.of("10.10.0.0/16"));
    Map<String, String> data =
        PeerConfigRenderer.render(
            inputs(
                t,
                new WireGuardKeyPair(null, TestTunnels.PEER_PUBLIC_KEY),
                List.of("10.244.0.0/24")));
    assertThat(data.get("wg0.conf")).contains("AllowedIPs = 100.96.0.2/32, 10.10.0.0/16");
  }

  static Stream<Arguments> endpoints() {
    return Stream.of(
        Arguments.of("203.0.113.10:51820", "0.0.0.0:51820"),
        Arguments.of("vps.example.com:4754", "0.0.0.0:4754"),
        Arguments.of("203.0.113.10", "0.0.0.0"),
        Arguments.of("[2001:db8::1]:51820", "[::]:51820"),
        Arguments.of("[2001:db8::1]", "[::]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void listenAddressFollowsTheEndpoint(String endpoint, String listen) {
    assertThat(HostPort.parse(endpoint).anyAddress().toString()).isEqualTo(listen);
    // What the operator renders, the VPS's parser reads back.
    assertThat(HostPort.parse(listen).toString()).isEqualTo(listen);
  }

  private static TunnelPeers.Peer peer(Tunnel t, String name) {
    return TunnelPeers.of(t).stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aBackupVpsGetsItsOwnEndpointAddressesAndKeysAndThisEndsPublicKey() {
    Tunnel t = TestTunnels.egressWithBackups();
    AddressPair backupPair = AddressPair.ofSpecAddress("100.96.0.4/31");
    Map<String, String> data =
        PeerConfigRenderer.render(
            new PeerConfigInputs(
                t, backupPair, CLUSTER_PUBLIC, VPS, List.of(), List.of(), peer(t, "vps-b")));
    StandaloneTunnel vps = parse(data.get("peer.yaml"));
    assertThat(vps.getName()).isEqualTo("scraping/egress-ha");
    assertThat(vps.getListen()).isEqualTo("0.0.0.0:51820");
    assertThat(vps.getAddress()).isEqualTo("100.96.0.5/31");
    assertThat(vps.getPeerAddress()).isEqualTo("100.96.0.4/31");
    assertThat(vps.getPrivateKey()).isEqualTo(VPS.privateKey());
    assertThat(vps.getPeerPublicKey()).isEqualTo(CLUSTER_PUBLIC);
    assertThat(vps.getKeepaliveSeconds()).isEqualTo(25);
    assertThat(data.get("wg0.conf"))
        .contains("Backup peer vps-b: the gateway fails over to this VPS")
        .contains("Address = 100.96.0.5/31")
        .contains("AllowedIPs = 100.96.0.4/32")
        .contains("PublicKey = " + CLUSTER_PUBLIC);
    assertThat(data.get("peerPublicKey")).isEqualTo(VPS.publicKey());
    // vps-c has no keepalive of its own: none, whatever the primary's.
    StandaloneTunnel c =
        parse(
            PeerConfigRenderer.render(
                    new PeerConfigInputs(
                        t, backupPair, CLUSTER_PUBLIC, VPS, List.of(), List.of(), peer(t, "vps-c")))
                .get("peer.yaml"));
    assertThat(c.getKeepaliveSeconds()).isNull();
  }

  @Test
  void aGreBackupHasAKeyOfItsOwn() {
    Tunnel t = TestTunnels.egressGreWithBackup();
    Map<String, String> primary =
        PeerConfigRenderer.render(
            new PeerConfigInputs(t, PAIR, null, null, List.of(), List.of("192.0.2.7/32")));
    Map<String, String> backup =
        PeerConfigRenderer.render(
            new PeerConfigInputs(
                t,
                AddressPair.ofSpecAddress("100.96.0.4/31"),
                null,
                null,
                List.of(),
                List.of("192.0.2.7/32"),
                peer(t, "vps-b")));
    StandaloneTunnel b = parse(backup.get("peer.yaml"));
    assertThat(b.getGreKey())
        .isEqualTo(GreKeys.effective(t, peer(t, "vps-b")))
        .isNotEqualTo(parse(primary.get("peer.yaml")).getGreKey());
    assertThat(b.getAddress()).isEqualTo("100.96.0.5/31");
    assertThat(b.getAllowedSources()).containsExactly("192.0.2.7/32");
    assertThat(backup.keySet()).containsExactly("peer.yaml");
  }

  private static StandaloneTunnel parse(String yaml) {
    return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml, StandaloneConfig.class)
        .getTunnels()
        .get(0);
  }
}
