package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.api.net.Cidr;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which underlay sources a learning GRE tunnel accepts, read from the kernel's sockaddr. */
class SourceFilterTest {
  private static boolean allows(SourceFilter filter, String source) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(Endpoint.SOCKADDR_SIZE).order(ByteOrder.nativeOrder());
    Endpoint.of(InetAddress.getByName(source), 4754).writeSockaddr(b, 0);
    return filter.allows(b, 0);
  }

  @ParameterizedTest(name = "{0} allows {1}: {2}")
  @CsvSource({
    "'192.0.2.10', 192.0.2.10, true",
    "'192.0.2.10', 192.0.2.11, false",
    "'198.51.100.0/24', 198.51.100.77, true",
    "'198.51.100.0/24', 198.51.101.1, false",
    "'192.0.2.10 198.51.100.0/24', 198.51.100.1, true",
    "'192.0.2.10 198.51.100.0/24', 203.0.113.66, false",
    // host bits in the CIDR are ignored, as in a route
    "'198.51.100.9/24', 198.51.100.200, true",
    "'0.0.0.0/0', 203.0.113.66, true",
    // an IPv6 underlay: the gateways' IPv6 ExternalIPs, /128 each
    "'192.0.2.10', 2001:db8::1, false",
    "'2001:db8::1/128', 2001:db8::1, true",
    "'2001:db8::1/128', 2001:db8::2, false",
    "'192.0.2.10 2001:db8:0:1::/64', 2001:db8:0:1:ffff::9, true",
    "'2001:db8:0:1::/64', 2001:db8:0:2::9, false",
    "'2001:db8::/32', 192.0.2.10, false",
    "'0.0.0.0/0', 2001:db8::1, false",
  })
  void matchesTheSourceAgainstEachCidr(String cidrs, String source, boolean allowed)
      throws Exception {
    SourceFilter filter =
        SourceFilter.of(Arrays.stream(cidrs.split(" ")).map(Cidr::parse).toList());
    assertThat(filter.allowsAny()).isFalse();
    assertThat(allows(filter, source)).isEqualTo(allowed);
  }

  @Test
  void withoutAListEverySourceIsAllowed() throws Exception {
    assertThat(SourceFilter.of(List.of()).allowsAny()).isTrue();
    assertThat(SourceFilter.of(null)).isSameAs(SourceFilter.ANY);
    assertThat(allows(SourceFilter.ANY, "203.0.113.66")).isTrue();
    assertThat(allows(SourceFilter.ANY, "2001:db8::1")).isTrue();
  }

  @Test
  void describesItselfByNetworks() {
    assertThat(SourceFilter.of(List.of(Cidr.parseIpv4("198.51.100.9/24"))).toString())
        .isEqualTo("198.51.100.0/24");
    assertThat(SourceFilter.ANY.toString()).isEqualTo("any");
  }
}
