package io.tunnelier.api.peerconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StandaloneConfigParserTest {
  static final String PRIVATE_KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
  static final String PUBLIC_KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

  static final String WIREGUARD_VPS =
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
        keepaliveSeconds: 25
        address: 100.96.0.3/31
        peerAddress: 100.96.0.2/31
        mtu: 0
        mssClamp: true
      """
          .formatted(PRIVATE_KEY, PUBLIC_KEY);

  static final String GRE_SITE =
      """
      apiVersion: tunnelier.io/v1alpha1
      kind: StandaloneConfig
      tunnels:
      - name: default/to-cluster-b
        type: SiteToSite
        encapsulation: GRE
        listen: 203.0.113.10
        peerEndpoint: 198.51.100.20
        greKey: 4242
        address: 100.96.0.1/30
        peerAddress: 100.96.0.2/30
        routes: [100.70.0.0/16]
      """;

  @Test
  void aSiteMayRouteBothFamilies() throws Exception {
    StandaloneTunnel t =
        StandaloneConfigParser.parse(
                GRE_SITE.replace("[100.70.0.0/16]", "[100.70.0.0/16, fd00:70::/48]"), "peer.yaml")
            .getTunnels()
            .get(0);
    assertThat(t.getRoutes()).containsExactly("100.70.0.0/16", "fd00:70::/48");
  }

  static final String IPV6_PAIR =
      "  address6: fd00:7475:6e6e::6460:3/127\n  peerAddress6: fd00:7475:6e6e::6460:2/127\n";

  @Test
  void aVpsMayCarryIpv6WithAnIpv6InnerPair() throws Exception {
    StandaloneTunnel t =
        StandaloneConfigParser.parse(WIREGUARD_VPS + IPV6_PAIR, "peer.yaml").getTunnels().get(0);
    assertThat(t.getAddress6()).isEqualTo("fd00:7475:6e6e::6460:3/127");
    assertThat(t.getPeerAddress6()).isEqualTo("fd00:7475:6e6e::6460:2/127");
  }

  @Test
  void readsAWireGuardVpsConfig() throws Exception {
    StandaloneConfig config = StandaloneConfigParser.parse(WIREGUARD_VPS, "peer.yaml");
    StandaloneTunnel t = config.getTunnels().get(0);
    assertThat(t.getType()).isEqualTo(TunnelType.EGRESS);
    assertThat(t.getEncapsulation()).isEqualTo(Encapsulation.WIREGUARD);
    assertThat(t.getPrivateKey()).isEqualTo(PRIVATE_KEY);
    assertThat(t.toString()).doesNotContain(PRIVATE_KEY);
  }

  @Test
  void readsAGreSiteToSiteConfig() throws Exception {
    StandaloneConfig config = StandaloneConfigParser.parse(GRE_SITE, "peer.yaml");
    assertThat(config.getTunnels().get(0).getRoutes()).containsExactly("100.70.0.0/16");
  }

  @Test
  void readsAllowedSources() throws Exception {
    StandaloneConfig config =
        StandaloneConfigParser.parse(
            GRE_SITE.replace(
                "peerEndpoint: 198.51.100.20\n", "allowedSources: [198.51.100.20, 192.0.2.0/28]\n"),
            "peer.yaml");
    assertThat(config.getTunnels().get(0).getAllowedSources())
        .containsExactly("198.51.100.20", "192.0.2.0/28");
  }

  @Test
  void whatTheOperatorWritesReadsBack() throws Exception {
    StandaloneConfig config = StandaloneConfigParser.parse(WIREGUARD_VPS, "peer.yaml");
    String written = StandaloneConfigParser.write(config);
    StandaloneConfig again = StandaloneConfigParser.parse(written, "written");
    assertThat(StandaloneConfigParser.write(again)).isEqualTo(written);
    assertThat(written).startsWith("apiVersion: tunnelier.io/v1alpha1");
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of(
            "unknown field",
            WIREGUARD_VPS.replace("mtu: 0", "mtuu: 0"),
            "tunnels[0].mtuu: unknown field"),
        Arguments.of(
            "wrong type",
            WIREGUARD_VPS.replace("mtu: 0", "mtu: big"),
            "tunnels[0].mtu: must be a whole number"),
        Arguments.of(
            "bad enum",
            WIREGUARD_VPS.replace("type: Egress", "type: Outbound"),
            "tunnels[0].type: must be one of Egress, SiteToSite"),
        Arguments.of(
            "kind",
            WIREGUARD_VPS.replace("kind: StandaloneConfig", "kind: Tunnel"),
            "kind: must be StandaloneConfig"),
        Arguments.of(
            "no tunnels",
            "apiVersion: tunnelier.io/v1alpha1\nkind: StandaloneConfig\n",
            "tunnels: must list at least one tunnel"),
        Arguments.of(
            "address syntax",
            WIREGUARD_VPS.replace("address: 100.96.0.3/31", "address: 100.96.0.300/31"),
            "tunnels[0].address: must be an IPv4 address"),
        Arguments.of(
            "address no prefix",
            WIREGUARD_VPS.replace("address: 100.96.0.3/31", "address: 100.96.0.3"),
            "tunnels[0].address: needs a prefix length"),
        Arguments.of(
            "peer in other subnet",
            WIREGUARD_VPS.replace("peerAddress: 100.96.0.2/31", "peerAddress: 100.96.0.4/31"),
            "tunnels[0].peerAddress: must be in the same subnet"),
        Arguments.of(
            "short key",
            WIREGUARD_VPS.replace(PUBLIC_KEY, "AAAA"),
            "tunnels[0].peerPublicKey: must be 32 bytes"),
        Arguments.of(
            "missing private key",
            WIREGUARD_VPS.replace("privateKey: " + PRIVATE_KEY, ""),
            "tunnels[0].privateKey: required"),
        Arguments.of(
            "listen without port",
            WIREGUARD_VPS.replace("listen: \":51820\"", "listen: 203.0.113.10"),
            "tunnels[0].listen: needs a port"),
        Arguments.of(
            "port out of range",
            WIREGUARD_VPS.replace("listen: \":51820\"", "listen: \":70000\""),
            "tunnels[0].listen: has an invalid port"),
        Arguments.of(
            "mtu range", WIREGUARD_VPS.replace("mtu: 0", "mtu: 100"), "tunnels[0].mtu: must be 0"),
        Arguments.of(
            "greKey with WireGuard",
            WIREGUARD_VPS.replace("mtu: 0", "greKey: 5"),
            "tunnels[0].greKey: only used with encapsulation GRE"),
        Arguments.of(
            "route host bits",
            GRE_SITE.replace("100.70.0.0/16", "100.70.0.1/16"),
            "tunnels[0].routes[0]: must be a network CIDR"),
        Arguments.of(
            "IPv6 route host bits",
            GRE_SITE.replace("100.70.0.0/16", "fd00:70::1/48"),
            "tunnels[0].routes[0]: must be a network CIDR (no host bits set), such as fd00:70::/48"),
        Arguments.of(
            "IPv6 route on a VPS",
            WIREGUARD_VPS + "  routes: [fd00:64::/48]\n",
            "tunnels[0].routes[0]: IPv6 routes are for type SiteToSite"),
        Arguments.of(
            "address6 without peerAddress6",
            WIREGUARD_VPS + "  address6: fd00:7475:6e6e::6460:3/127\n",
            "tunnels[0].peerAddress6: required with the other IPv6 address"),
        Arguments.of(
            "address6 not a /127",
            WIREGUARD_VPS + IPV6_PAIR.replace("6460:3/127", "6460:3/64"),
            "tunnels[0].address6: must be an IPv6 address with prefix /127"),
        Arguments.of(
            "address6 IPv4",
            WIREGUARD_VPS + IPV6_PAIR.replace("fd00:7475:6e6e::6460:3/127", "100.96.0.3/31"),
            "tunnels[0].address6: must be an IPv6 address with prefix /127"),
        Arguments.of(
            "address6 pair split",
            WIREGUARD_VPS + IPV6_PAIR.replace("6460:2/127", "6461:2/127"),
            "tunnels[0].peerAddress6: must be the other address of address6's /127"),
        Arguments.of(
            "address6 on a site",
            GRE_SITE + IPV6_PAIR,
            "tunnels[0].address6: only used with type Egress"),
        Arguments.of(
            "route not a CIDR",
            GRE_SITE.replace("100.70.0.0/16", "pods-of-site-a"),
            "tunnels[0].routes[0]: must be an IPv4 or IPv6 CIDR"),
        Arguments.of(
            "GRE with port",
            GRE_SITE.replace("peerEndpoint: 198.51.100.20", "peerEndpoint: 198.51.100.20:4754"),
            "tunnels[0].peerEndpoint: GRE has no port"),
        Arguments.of(
            "greKey range",
            GRE_SITE.replace("greKey: 4242", "greKey: 4294967296"),
            "tunnels[0].greKey: must be 0..4294967295"),
        Arguments.of(
            "name shape",
            GRE_SITE.replace("default/to-cluster-b", "to-cluster-b"),
            "tunnels[0].name: must be <namespace>/<name>"),
        Arguments.of(
            "masquerade on site-to-site",
            GRE_SITE + "  masqueradeInterface: eth0\n",
            "tunnels[0].masqueradeInterface: only used with type Egress"),
        Arguments.of(
            "allowedSources syntax",
            GRE_SITE + "  allowedSources: [198.51.100.0/33]\n",
            "tunnels[0].allowedSources[0]: must be an IPv4 or IPv6 address or CIDR"),
        Arguments.of(
            "allowedSources a name",
            GRE_SITE + "  allowedSources: [gateway.example.com]\n",
            "tunnels[0].allowedSources[0]: must be an IPv4 or IPv6 address or CIDR"),
        Arguments.of(
            "allowedSources with WireGuard",
            WIREGUARD_VPS + "  allowedSources: [198.51.100.20]\n",
            "tunnels[0].allowedSources: only used with GRE or GREoverUDP"),
        Arguments.of("not yaml", "tunnels: [", "not valid YAML"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void badConfigNamesTheField(String what, String yaml, String expected) {
    assertThatThrownBy(() -> StandaloneConfigParser.parse(yaml, "peer.yaml"))
        .isInstanceOf(InvalidStandaloneConfigException.class)
        .hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PRIVATE_KEY));
  }

  @Test
  void twoWireGuardTunnelsOnOnePortAreRefused() {
    String second =
        WIREGUARD_VPS
            .substring(WIREGUARD_VPS.indexOf("- name"))
            .replace("scraping/egress-nyc", "other/egress")
            .replace("100.96.0.3/31", "100.96.0.5/31")
            .replace("100.96.0.2/31", "100.96.0.4/31");
    assertThatThrownBy(() -> StandaloneConfigParser.parse(WIREGUARD_VPS + second, "peer.yaml"))
        .hasMessageContaining("tunnels[1].listen: tunnels[0] already listens there");
  }

  @Test
  void everyProblemIsListedAtOnce() {
    String yaml =
        WIREGUARD_VPS.replace("mtu: 0", "mtu: 100").replace("address: 100.96.0.3/31", "address: x");
    assertThatThrownBy(() -> StandaloneConfigParser.parse(yaml, "peer.yaml"))
        .isInstanceOfSatisfying(
            InvalidStandaloneConfigException.class,
            e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(2));
  }

  @Test
  void cidrParsing() {
    assertThat(Cidr.parseIpv4("100.96.0.2/31").network()).hasToString("100.96.0.2/31");
    assertThat(Cidr.parseIpv4("0.0.0.0/0").contains(Cidr.parseIpv4("203.0.113.1"))).isTrue();
    assertThat(Cidr.parseIpv4("10.0.0.1").prefix()).isEqualTo(32);
    for (String bad : List.of("1.2.3", "01.2.3.4", "1.2.3.4/33", "a.b.c.d", "1.2.3.4/")) {
      assertThatThrownBy(() -> Cidr.parseIpv4(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
