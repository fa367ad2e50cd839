package io.tunnelier.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.DatapathConfig;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerHealthTest {
  @Test
  void lossIsTheShareOfUnansweredProbesInTheWindow() {
    ProbeWindow window = new ProbeWindow();
    assertThat(window.record("t", true).getAsDouble()).isZero();
    assertThat(window.record("t", false).getAsDouble()).isEqualTo(50.0);
    for (int i = 0; i < ProbeWindow.SIZE; i++) {
      window.record("t", true);
    }
    assertThat(window.record("t", true).getAsDouble()).as("the lost probe slid out").isZero();
    assertThat(window.record("other", false).getAsDouble()).isEqualTo(100.0);
  }

  @ParameterizedTest
  @CsvSource({
    "203.0.113.10:51820, 203.0.113.10",
    "[2001:db8::1]:51820, 2001:db8::1",
    "203.0.113.10, 203.0.113.10"
  })
  void learnedEndpointWins(String learned, String host) {
    assertThat(PeerUnderlay.host(null, learned)).contains(host);
  }

  @Test
  void configuredLiteralPeerElseNothing() {
    var literal =
        new DatapathConfig.Gre(
            "tnl-x", 0, false, null, 0, new InetSocketAddress("198.51.100.7", 0), 7L, false, false);
    assertThat(PeerUnderlay.host(literal, null)).contains("198.51.100.7");
    var dns =
        new DatapathConfig.Gre(
            "tnl-x",
            0,
            true,
            null,
            4754,
            InetSocketAddress.createUnresolved("vps.example.com", 4754),
            7L,
            false,
            false);
    assertThat(PeerUnderlay.host(dns, null)).isEmpty();
    assertThat(PeerUnderlay.host(null, null)).isEmpty();
  }
}
