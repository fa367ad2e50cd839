package io.tunnelier.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import org.junit.jupiter.api.Test;

/** iproute2's JSON as iproute2 6.1 prints it (captured on this project's machine). */
class IpRoute2ParseTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void vxlanLink() throws Exception {
    Link l =
        IpRoute2.parseLink(
            JSON.readTree(
                """
        {"ifindex":2,"ifname":"tnlv-1a2b3c4d","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,
         "address":"02:11:22:33:44:55","linkinfo":{"info_kind":"vxlan","info_data":{"id":4242,"remote":"192.0.2.2",
         "local":"192.0.2.1","port":4789,"learning":true}}}"""));
    assertThat(l)
        .isEqualTo(
            new Link(
                "tnlv-1a2b3c4d",
                LinkKind.VXLAN,
                1450,
                true,
                new Vxlan(4242, "192.0.2.1", "192.0.2.2", 4789),
                "02:11:22:33:44:55"));
  }

  @Test
  void tunDeviceIsATunnelLink() throws Exception {
    Link l =
        IpRoute2.parseLink(
            JSON.readTree(
                """
        {"ifindex":3,"ifname":"tnl-1a2b3c4d","flags":["POINTOPOINT","MULTICAST","NOARP"],"mtu":1500,
         "linkinfo":{"info_kind":"tun","info_data":{"type":"tun","persist":true}}}"""));
    assertThat(l.kind()).isEqualTo(LinkKind.TUNNEL);
    assertThat(l.up()).isFalse();
  }

  @Test
  void routesOfEveryShape() throws Exception {
    assertThat(
            IpRoute2.parseRoute(
                5505024,
                JSON.readTree(
                    "{\"dst\":\"default\",\"gateway\":\"100.96.0.9\",\"dev\":\"tnlv-1\",\"table\":\"5505024\",\"flags\":[\"onlink\"]}"),
                IpFamily.IPV4))
        .isEqualTo(Route.viaOnlink(5505024, Cidr.parseIpv4("0.0.0.0/0"), "100.96.0.9", "tnlv-1"));
    assertThat(
            IpRoute2.parseRoute(
                5505024,
                JSON.readTree(
                    "{\"type\":\"throw\",\"dst\":\"100.64.0.0/16\",\"table\":\"5505024\",\"flags\":[]}"),
                IpFamily.IPV4))
        .isEqualTo(Route.of(5505024, RouteType.THROW, Cidr.parseIpv4("100.64.0.0/16")));
    assertThat(
            IpRoute2.parseRoute(
                5505024,
                JSON.readTree(
                    "{\"dst\":\"198.51.100.7\",\"dev\":\"tnl-1\",\"table\":\"5505024\",\"scope\":\"link\",\"flags\":[]}"),
                IpFamily.IPV4))
        .isEqualTo(Route.dev(5505024, Cidr.parseIpv4("198.51.100.7/32"), "tnl-1"));
    // IPv6 (ip -6 -j): a prefix, a link-local next hop over the hop, the default route.
    assertThat(
            IpRoute2.parseRoute(
                5505024,
                JSON.readTree(
                    "{\"dst\":\"fd00:64:b::/48\",\"gateway\":\"fe80::6462:1\",\"dev\":\"tnlv-1\",\"metric\":1024,\"flags\":[\"onlink\"],\"pref\":\"medium\"}"),
                IpFamily.IPV6))
        .isEqualTo(
            Route.viaOnlink(5505024, Cidr.parse("fd00:64:b::/48"), "fe80::6462:1", "tnlv-1"));
    assertThat(
            IpRoute2.parseRoute(
                5505024,
                JSON.readTree("{\"type\":\"throw\",\"dst\":\"default\",\"flags\":[]}"),
                IpFamily.IPV6))
        .isEqualTo(Route.of(5505024, RouteType.THROW, Cidr.parse("::/0")));
  }

  @Test
  void rulesWithAndWithoutAnInputInterface() throws Exception {
    assertThat(
            IpRoute2.parseRule(
                JSON.readTree("{\"priority\":10100,\"src\":\"100.64.2.7\",\"table\":\"5505024\"}"),
                IpFamily.IPV4))
        .isEqualTo(Rule.fromSource(10100, Cidr.parseIpv4("100.64.2.7/32"), 5505024));
    // The device may not exist (yet): iproute2 shows the rule as detached, the same rule.
    assertThat(
            IpRoute2.parseRule(
                JSON.readTree(
                    "{\"priority\":10105,\"src\":\"all\",\"iif\":\"tnl-1\",\"iif_detached\":null,"
                        + "\"table\":\"5570560\"}"),
                IpFamily.IPV4))
        .isEqualTo(Rule.fromInterface(10105, "tnl-1", 5570560, IpFamily.IPV4));
    // The same rule from ip -6 rule: another rule (the families' rule lists are separate).
    assertThat(
            IpRoute2.parseRule(
                JSON.readTree(
                    "{\"priority\":10105,\"src\":\"all\",\"iif\":\"tnl-1\",\"table\":\"5570560\"}"),
                IpFamily.IPV6))
        .isEqualTo(Rule.fromInterface(10105, "tnl-1", 5570560, IpFamily.IPV6));
    assertThat(
            IpRoute2.parseRule(
                JSON.readTree(
                    "{\"priority\":10110,\"src\":\"all\",\"dst\":\"fd00:64:b::\",\"dstlen\":48,\"table\":\"5505024\"}"),
                IpFamily.IPV6))
        .isEqualTo(Rule.toDestination(10110, Cidr.parse("fd00:64:b::/48"), 5505024));
    assertThat(
            IpRoute2.parseRule(
                JSON.readTree("{\"priority\":32766,\"src\":\"all\",\"table\":\"main\"}"),
                IpFamily.IPV4))
        .isNull();
  }

  @Test
  void forwardingDatabaseEntries() throws Exception {
    assertThat(
            IpRoute2.parseFdb(
                JSON.readTree(
                    "{\"mac\":\"02:00:00:00:00:02\",\"ifname\":\"tnlv-1\",\"dst\":\"192.0.2.12\","
                        + "\"flags\":[\"self\"],\"state\":\"permanent\"}")))
        .isEqualTo(new FdbEntry("tnlv-1", "02:00:00:00:00:02", "192.0.2.12"));
    // The kernel's entry for a link's own remote, learned entries and other links are not ours.
    assertThat(
            IpRoute2.parseFdb(
                JSON.readTree(
                    "{\"mac\":\"00:00:00:00:00:00\",\"ifname\":\"tnlv-1\",\"dst\":\"192.0.2.11\","
                        + "\"flags\":[\"self\"],\"state\":\"permanent\"}")))
        .isNull();
    assertThat(
            IpRoute2.parseFdb(
                JSON.readTree(
                    "{\"mac\":\"02:00:00:00:00:03\",\"ifname\":\"tnlv-1\",\"dst\":\"192.0.2.13\","
                        + "\"flags\":[\"self\"],\"state\":\"\"}")))
        .isNull();
    assertThat(
            IpRoute2.parseFdb(
                JSON.readTree(
                    "{\"mac\":\"33:33:00:00:00:01\",\"ifname\":\"eth0\",\"flags\":[\"self\"],"
                        + "\"state\":\"permanent\"}")))
        .isNull();
  }

  @Test
  void ownershipRanges() {
    assertThat(Ownership.ownsLink("tnl-1a2b3c4d")).isTrue();
    assertThat(Ownership.ownsLink("eth0")).isFalse();
    assertThat(Ownership.ownsRule(10100, 0x540000)).isTrue();
    assertThat(Ownership.ownsRule(100, 0x540000)).isFalse();
    assertThat(Ownership.ownsRule(10100, 254)).isFalse();
    assertThat(Ownership.ownsTable(0x550000)).isTrue();
    assertThat(Ownership.ownsTable(0x560000)).isFalse();
  }
}
