package io.tunnelier.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabAddressesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.0.2.1",
        "198.51.100.7/24",
        "203.0.113.254/32",
        "100.64.0.1/10",
        "100.127.1.1"
      })
  void labRangesPass(String address) {
    assertThat(LabAddresses.check(address)).isEqualTo(address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "192.168.1.1/24", "100.128.0.1", "8.8.8.8", "100.64.0.0/9"})
  void everythingElseIsRefused(String address) {
    assertThatThrownBy(() -> LabAddresses.check(address))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the lab's ranges");
  }
}
