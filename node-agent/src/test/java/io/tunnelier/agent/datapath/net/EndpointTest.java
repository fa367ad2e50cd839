package io.tunnelier.agent.datapath.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class EndpointTest {
  private final ByteBuffer sockaddr =
      ByteBuffer.allocate(Endpoint.SOCKADDR_SIZE).order(ByteOrder.nativeOrder());

  @Test
  void ipv4SockaddrRoundTripsAndMatches() throws Exception {
    Endpoint e = Endpoint.of(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 4754));
    assertThat(e.writeSockaddr(sockaddr, 0)).isEqualTo(16);
    assertThat(sockaddr.getShort(0)).isEqualTo((short) Endpoint.AF_INET);
    assertThat(sockaddr.get(2)).isEqualTo((byte) (4754 >> 8)); // port in network order
    assertThat(Endpoint.fromSockaddr(sockaddr, 0)).isEqualTo(e);
    assertThat(e.matches(sockaddr, 0, true)).isTrue();
    assertThat(e.withPort(1).matches(sockaddr, 0, true)).isFalse();
    assertThat(e.withPort(1).matches(sockaddr, 0, false)).isTrue();
    assertThat(Endpoint.ipv4(0xC0000207, 9).matches(sockaddr, 0, false)).isTrue();
    assertThat(Endpoint.ipv4(0xC0000208, 9).matches(sockaddr, 0, false)).isFalse();
    assertThat(e.ipv4Address()).isEqualTo(0xC0000207);
    assertThat(e).hasToString("192.0.2.7:4754");
  }

  @Test
  void ipv6SockaddrRoundTripsAndMatches() throws Exception {
    Endpoint e = Endpoint.of(InetAddress.getByName("2001:db8::1"), 51820);
    assertThat(e.writeSockaddr(sockaddr, 0)).isEqualTo(28);
    assertThat(Endpoint.fromSockaddr(sockaddr, 0)).isEqualTo(e);
    assertThat(e.matches(sockaddr, 0, true)).isTrue();
    assertThat(Endpoint.of(InetAddress.getByName("2001:db8::2"), 51820).matches(sockaddr, 0, true))
        .isFalse();
    assertThat(Endpoint.ipv4(1, 51820).matches(sockaddr, 0, true)).isFalse();
    // RFC 5952, as spec.peer.endpoint and status show it.
    assertThat(e).hasToString("[2001:db8::1]:51820");
    assertThat(Endpoint.of(InetAddress.getByName("2001:db8:0:3::10"), 0))
        .hasToString("[2001:db8:0:3::10]");
  }

  @Test
  void refusesUnresolvedAddressesAndBadPorts() {
    assertThatThrownBy(() -> Endpoint.of(InetSocketAddress.createUnresolved("vps.example", 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Endpoint.ipv4(1, 70000)).isInstanceOf(IllegalArgumentException.class);
  }
}
