package io.tunnelier.operator.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.TestTunnels;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv6PoolTest {
  private static final Ipv6Pool POOL = Ipv6Pool.parse("addressPool6", Ipv6Pool.DEFAULT);

  @ParameterizedTest
  @CsvSource({
    "100.96.0.2/31, 100.96.0.3/31, fd00:7475:6e6e::6460:2/127, fd00:7475:6e6e::6460:3/127",
    "100.96.255.254/31, 100.96.255.255/31, fd00:7475:6e6e::6460:fffe/127,"
        + " fd00:7475:6e6e::6460:ffff/127",
    // A spec.address in a wider subnet keeps its length, 96 bits longer.
    "192.0.2.1/30, 192.0.2.2/30, fd00:7475:6e6e::c000:201/126, fd00:7475:6e6e::c000:202/126"
  })
  void theIpv4PairIsEmbeddedInTheLast32Bits(
      String local, String peer, String local6, String peer6) {
    AddressPair pair6 = POOL.embed(new AddressPair(Cidr.parseIpv4(local), Cidr.parseIpv4(peer)));
    assertThat(pair6.local()).hasToString(local6);
    assertThat(pair6.peer()).hasToString(peer6);
  }

  @Test
  void distinctIpv4PairsGiveDistinctIpv6Pairs() {
    Cidr pool = Cidr.parseIpv4("100.96.0.0/16");
    AddressPair a = POOL.embed(AddressPair.ofPoolIndex(pool, 1));
    AddressPair b = POOL.embed(AddressPair.ofPoolIndex(pool, 2));
    assertThat(a.overlaps(b)).isFalse();
    assertThat(a.local().network()).isEqualTo(a.peer().network());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fd00:7475:6e6e::/64",
        "fd00:7475:6e6e::1/96",
        "100.96.0.0/16",
        "fd00:7475:6e6e::",
        "fe80::/96",
        "::ffff:0:0/96",
        "nonsense"
      })
  void anythingButAUsableIpv6Slash96IsRefused(String text) {
    assertThatThrownBy(() -> Ipv6Pool.parse("addressPool6", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("addressPool6");
  }

  @Test
  void onlyAnEgressTunnelWithAnIpv6DestinationCarriesIpv6() {
    Tunnel ipv4Only = TestTunnels.egressWireGuard();
    assertThat(Ipv6Pool.carries(ipv4Only)).isFalse();
    Tunnel dualStack = TestTunnels.egressWireGuard();
    dualStack.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0", "::/0"));
    assertThat(Ipv6Pool.carries(dualStack)).isTrue();
    Tunnel site = TestTunnels.siteToSite();
    site.getSpec().getSiteToSite().setRemoteCIDRs(List.of("fd00:20::/48"));
    assertThat(Ipv6Pool.carries(site)).as("site-to-site carries IPv6 over IPv4 inner").isFalse();
  }
}
