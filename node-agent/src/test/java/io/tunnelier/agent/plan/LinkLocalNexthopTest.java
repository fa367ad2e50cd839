package io.tunnelier.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The IPv6 stand-in for an IPv4 next hop, written as {@code ip -j} prints it (RFC 5952). */
class LinkLocalNexthopTest {
  @ParameterizedTest
  @CsvSource({
    "100.96.0.2, fe80::6460:2",
    "192.0.2.12, fe80::c000:20c",
    "100.64.0.0, fe80::6440:0",
    "203.0.113.0, fe80::cb00:7100"
  })
  void theIpv4AddressIsTheInterfaceIdentifier(String ipv4, String expected) {
    assertThat(LinkLocalNexthop.of(ipv4)).isEqualTo(expected);
  }
}
