package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.agent.datapath.DatapathConfig;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class GreSettingsTest {
  private static DatapathConfig.Gre config(
      String name,
      int mtu,
      boolean udp,
      InetSocketAddress local,
      int localPort,
      InetSocketAddress peer,
      Long key) {
    return new DatapathConfig.Gre(name, mtu, udp, local, localPort, peer, key, false, false);
  }

  private static InetSocketAddress at(String host, int port) {
    return new InetSocketAddress(host, port);
  }

  @Test
  void rawGreDefaults() {
    GreSettings s =
        GreSettings.of(config("tnl-1", 0, false, at("192.0.2.1", 0), 0, at("192.0.2.2", 99), 7L));
    assertThat(s.local().toString()).isEqualTo("192.0.2.1");
    assertThat(s.peer().toString()).as("raw GRE has no port").isEqualTo("192.0.2.2");
    assertThat(s.key()).isEqualTo(7);
    assertThat(s.overhead()).isEqualTo(20 + 4 + 4);
  }

  @Test
  void greInUdpUsesPort4754UnlessTold() {
    GreSettings s = GreSettings.of(config("tnl-1", 0, true, null, 0, at("192.0.2.2", 0), null));
    assertThat(s.local().toString()).isEqualTo("0.0.0.0:4754");
    assertThat(s.peer().port()).isEqualTo(4754);
    assertThat(s.key()).isEqualTo(GreTunnel.NO_KEY);
    assertThat(s.overhead()).isEqualTo(20 + 8 + 4);
    GreSettings t = GreSettings.of(config("tnl-1", 0, true, null, 5000, at("192.0.2.2", 6000), 1L));
    assertThat(t.local().port()).isEqualTo(5000);
    assertThat(t.peer().port()).isEqualTo(6000);
  }

  @Test
  void overheadCountsEveryOptionalField() {
    GreSettings s =
        GreSettings.of(
            new DatapathConfig.Gre("t", 0, true, null, 0, at("192.0.2.2", 0), 1L, true, true));
    assertThat(s.overhead()).isEqualTo(20 + 8 + 4 + 4 + 4 + 4);
  }

  @Test
  void badFieldsAreNamed() {
    assertThatThrownBy(
            () -> GreSettings.of(config("much-too-long-name", 0, false, null, 0, null, 1L)))
        .hasMessageStartingWith("deviceName:");
    assertThatThrownBy(() -> GreSettings.of(config("a/b", 0, false, null, 0, null, 1L)))
        .hasMessageStartingWith("deviceName:");
    assertThatThrownBy(() -> GreSettings.of(config("t", 100, false, null, 0, null, 1L)))
        .hasMessageStartingWith("mtu:");
    assertThatThrownBy(() -> GreSettings.of(config("t", 0, false, null, 0, null, -1L)))
        .hasMessageStartingWith("key:");
    assertThatThrownBy(() -> GreSettings.of(config("t", 0, false, null, 0, null, 1L << 32)))
        .hasMessageStartingWith("key:");
    assertThatThrownBy(() -> GreSettings.of(config("t", 0, true, null, 70000, null, 1L)))
        .hasMessageStartingWith("localPort:");
    assertThatThrownBy(
            () ->
                GreSettings.of(
                    config(
                        "t", 0, false, null, 0, InetSocketAddress.createUnresolved("vps", 0), 1L)))
        .hasMessageStartingWith("peer:");
    assertThatThrownBy(
            () ->
                GreSettings.of(
                    config("t", 0, true, at("192.0.2.1", 0), 0, at("2001:db8::1", 0), 1L)))
        .hasMessageStartingWith("peer:");
  }

  @Test
  void rawGreOverIpv6BindsAnyIpv6AddressAndCountsTheFortyByteHeader() {
    GreSettings s = GreSettings.of(config("t", 0, false, null, 0, at("2001:db8::1", 0), 1L));
    assertThat(s.local().isIpv4()).isFalse();
    assertThat(s.local().port()).isZero();
    assertThat(s.overhead()).isEqualTo(40 + 4 + 4);
    GreSettings learning = GreSettings.of(config("t", 0, false, at("2001:db8::1", 0), 0, null, 1L));
    assertThat(learning.local().isIpv4()).isFalse();
  }
}
