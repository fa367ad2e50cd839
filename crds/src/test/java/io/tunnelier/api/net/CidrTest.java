package io.tunnelier.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Both families' text forms in and out, containment and arithmetic at the edges. */
class CidrTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "100.96.0.2/31, 100.96.0.2/31",
    "10.0.0.1, 10.0.0.1/32",
    "0.0.0.0/0, 0.0.0.0/0",
    "' 192.0.2.1/24 ', 192.0.2.1/24",
    "fd00::5, fd00::5/128",
    "FD00:0:0:0:0:0:0:5/127, fd00::5/127",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128",
    "2001:0db8:0000:0000:0000:ff00:0042:8329, 2001:db8::ff00:42:8329/128",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1/128",
    "::1, ::1/128",
    "::/0, ::/0",
    "fd00:1::/64, fd00:1::/64",
    "::ffff:192.0.2.5, ::ffff:c000:205/128",
    "64:ff9b::192.0.2.33/96, 64:ff9b::c000:221/96",
  })
  void parsesAndPrintsCanonically(String in, String out) {
    assertThat(Cidr.parse(in)).hasToString(out);
    assertThat(Cidr.parse(out)).isEqualTo(Cidr.parse(in));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {
        "",
        " ",
        "10.0.0",
        "10.0.0.256/8",
        "010.0.0.1",
        "10.0.0.1/33",
        "10.0.0.1/",
        "10.0.0.1/-1",
        "10.0.0.1/08",
        "example.com",
        "10.0.0.1/8/8",
        "fd00::zz",
        "fd00:::1",
        "fd00::1::2",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "12345::",
        ":1::",
        "1::2:",
        "fd00::1/129",
        "fe80::1%eth0",
        "1.2.3.4::",
        "::1.2.3",
        "[fd00::1]"
      })
  void refusesWhatIsNotAnAddress(String bad) {
    assertThatThrownBy(() -> Cidr.parse(bad)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatsRawAddressesAsIpDoes() throws Exception {
    assertThat(Cidr.format(java.net.InetAddress.getByName("2001:db8:0:3::10").getAddress()))
        .isEqualTo("2001:db8:0:3::10");
    assertThat(Cidr.format(java.net.InetAddress.getByName("198.51.100.7").getAddress()))
        .isEqualTo("198.51.100.7");
    assertThat(Cidr.format(new byte[16])).isEqualTo("::");
    assertThatThrownBy(() -> Cidr.format(new byte[5])).hasMessageContaining("4 or 16 bytes");
  }

  @Test
  void containsIpv6WithoutAllocating() {
    Cidr net = Cidr.parse("2001:db8:0:1::/64");
    assertThat(net.containsIpv6(0x20010db800000001L, 0xffff000000000009L)).isTrue();
    assertThat(net.containsIpv6(0x20010db800000002L, 9)).isFalse();
    assertThat(Cidr.parse("192.0.2.0/24").containsIpv6(0, 0)).isFalse();
    assertThat(Cidr.parse("::/0").containsIpv6(-1L, -1L)).isTrue();
  }

  @Test
  void parseIpv4RefusesIpv6() {
    assertThat(Cidr.parseIpv4("192.0.2.1/24").ipv4Bits()).isEqualTo(0xC0000201);
    assertThatThrownBy(() -> Cidr.parseIpv4("fd00::1"))
        .hasMessage("'fd00::1' is not an IPv4 address");
  }

  @Test
  void networksAndContainment() {
    assertThat(Cidr.parse("100.96.0.3/31").network()).hasToString("100.96.0.2/31");
    assertThat(Cidr.parse("100.96.0.2/31").isNetwork()).isTrue();
    assertThat(Cidr.parse("100.96.0.3/31").isNetwork()).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.parse("203.0.113.1"))).isTrue();
    assertThat(Cidr.parse("100.80.0.0/16").contains(Cidr.parse("100.80.1.0/24"))).isTrue();
    assertThat(Cidr.parse("100.80.1.0/24").contains(Cidr.parse("100.80.0.0/16"))).isFalse();
    assertThat(Cidr.parse("100.80.1.0/24").contains(Cidr.parse("100.80.1.7/24"))).isTrue();
    assertThat(Cidr.parse("fd00:1::7/64").network()).hasToString("fd00:1::/64");
    assertThat(Cidr.parse("fd00:1::/64").contains(Cidr.parse("fd00:1::ffff:1"))).isTrue();
    assertThat(Cidr.parse("fd00:1::/64").contains(Cidr.parse("fd00:2::1"))).isFalse();
    assertThat(Cidr.parse("fd00::/8").contains(Cidr.parse("fd12:3456::/32"))).isTrue();
    assertThat(Cidr.parse("2001:db8::/126").contains(Cidr.parse("2001:db8::3"))).isTrue();
    assertThat(Cidr.parse("2001:db8::/126").contains(Cidr.parse("2001:db8::4"))).isFalse();
    assertThat(Cidr.parse("::/0").contains(Cidr.parse("192.0.2.1"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.parse("::1"))).isFalse();
    assertThat(Cidr.parse("::ffff:0:0/96").contains(Cidr.parse("::ffff:192.0.2.1"))).isTrue();
  }

  @Test
  void containsIpv4WithoutAllocating() {
    Cidr net = Cidr.parse("198.51.100.0/24");
    assertThat(net.containsIpv4(Cidr.parse("198.51.100.200").ipv4Bits())).isTrue();
    assertThat(net.containsIpv4(Cidr.parse("198.51.101.1").ipv4Bits())).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").containsIpv4(-1)).isTrue();
    assertThat(Cidr.parse("fd00::/8").containsIpv4(0)).isFalse();
  }

  @Test
  void overlapsIsSymmetricAndFamilyAware() {
    Cidr wide = Cidr.parse("100.64.0.0/10");
    Cidr narrow = Cidr.parse("100.96.1.0/24");
    assertThat(wide.overlaps(narrow)).isTrue();
    assertThat(narrow.overlaps(wide)).isTrue();
    assertThat(narrow.overlaps(Cidr.parse("100.96.2.0/24"))).isFalse();
    assertThat(Cidr.parse("fd00::/64").overlaps(Cidr.parse("100.64.0.0/10"))).isFalse();
    assertThat(Cidr.parse("100.64.0.0/10").overlaps(Cidr.parse("fd00::/64"))).isFalse();
    assertThat(Cidr.parse("fd00::/64").overlaps(Cidr.parse("fd00::8/125"))).isTrue();
  }

  @Test
  void arithmeticCarriesAcrossHalvesAndStopsAtTheEdges() {
    assertThat(Cidr.parse("100.96.0.1/31").plus(1)).hasToString("100.96.0.2/31");
    assertThat(Cidr.parse("100.96.1.0/31").plus(-1)).hasToString("100.96.0.255/31");
    assertThat(Cidr.parse("fd00::ffff:ffff:ffff:ffff/127").plus(1)).hasToString("fd00:0:0:1::/127");
    assertThat(Cidr.parse("fd00:0:0:1::/127").plus(-1))
        .hasToString("fd00::ffff:ffff:ffff:ffff/127");
    assertThatThrownBy(() -> Cidr.parse("255.255.255.255").plus(1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("0.0.0.0").plus(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").plus(1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("::").plus(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Cidr.parse("100.96.0.0/16").addressCount()).isEqualTo(65536);
    assertThat(Cidr.parse("fd00::/120").addressCount()).isEqualTo(256);
    assertThat(Cidr.parse("fd00::/64").addressCount()).isEqualTo(Long.MAX_VALUE);
    assertThat(Cidr.parse("100.96.0.3").isOdd()).isTrue();
    assertThat(Cidr.parse("100.96.0.9/29").lastAddress()).hasToString("100.96.0.15/29");
    assertThat(Cidr.parse("0.0.0.0/0").lastAddress()).hasToString("255.255.255.255/0");
    assertThat(Cidr.parse("fd00::1/64").lastAddress()).hasToString("fd00::ffff:ffff:ffff:ffff/64");
    assertThat(Cidr.parse("fd00::1/60").lastAddress())
        .hasToString("fd00::f:ffff:ffff:ffff:ffff/60");
  }

  @Test
  void specialRanges() {
    assertThat(Cidr.parse("fe80::1").isLinkLocal()).isTrue();
    assertThat(Cidr.parse("febf::1").isLinkLocal()).isTrue();
    assertThat(Cidr.parse("fec0::1").isLinkLocal()).isFalse();
    assertThat(Cidr.parse("fd00::5").isLinkLocal()).isFalse();
    assertThat(Cidr.parse("169.254.0.1").isLinkLocal()).isFalse();
    assertThat(Cidr.parse("::ffff:100.64.1.5").isIpv4Mapped()).isTrue();
    assertThat(Cidr.parse("::100.64.1.5").isIpv4Mapped()).isFalse();
  }

  @Test
  void ordersIpv4FirstThenByAddressThenPrefix() {
    TreeSet<Cidr> sorted = new TreeSet<>();
    for (String s :
        List.of("fd00::1", "10.0.0.0/8", "10.0.0.0/16", "ffff::1", "9.0.0.0/8", "200.0.0.1")) {
      sorted.add(Cidr.parse(s));
    }
    assertThat(sorted.stream().map(Cidr::hostOrCidr))
        .containsExactly(
            "9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "200.0.0.1", "fd00::1", "ffff::1");
  }

  @Test
  void inetAddressIsTheLiteral() {
    assertThat(Cidr.parse("203.0.113.10/24").toInetAddress().getHostAddress())
        .isEqualTo("203.0.113.10");
    assertThat(Cidr.parse("2001:db8::10").toInetAddress().getHostAddress())
        .isEqualTo("2001:db8:0:0:0:0:0:10");
  }
}
