package io.tunnelier.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where the metrics listen, by mode and flag, and whether they may name tunnels. */
class MetricsBindingTest {
  @ParameterizedTest(name = "flag={0} standalone={1} HOST_IP={2} -> {3} names={4}")
  @CsvSource(
      nullValues = "-",
      value = {
        // a cluster node: its own address from the downward API, else every address (as before)
        "-, false, 192.0.2.11, 192.0.2.11, true",
        "-, false, -, 0.0.0.0, true",
        "'', false, '', 0.0.0.0, true",
        "198.51.100.7, false, 192.0.2.11, 198.51.100.7, true",
        // a VPS: loopback unless asked; beyond loopback, no namespace/name in the labels
        "-, true, -, 127.0.0.1, true",
        "-, true, 192.0.2.11, 127.0.0.1, true",
        "0.0.0.0, true, -, 0.0.0.0, false",
        "203.0.113.10, true, -, 203.0.113.10, false",
        "::1, true, -, 0:0:0:0:0:0:0:1, true",
        "2001:db8::10, true, -, 2001:db8:0:0:0:0:0:10, false",
      })
  void resolves(String flag, boolean standalone, String hostIp, String address, boolean names)
      throws Exception {
    MetricsBinding b = MetricsBinding.resolve(flag, standalone, hostIp);
    assertThat(b.address().getHostAddress()).isEqualTo(address);
    assertThat(b.tunnelNames()).isEqualTo(names);
  }

  @ParameterizedTest
  @CsvSource({"localhost", "metrics.example.com", "0.0.0.0:9464"})
  void onlyLiteralAddressesNoNameLookups(String flag) {
    assertThatThrownBy(() -> MetricsBinding.resolve(flag, true, null))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("--metrics-address");
  }
}
