package io.tunnelier.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PeerMeasurementsTest {
  private static NodeStatus entry(String yaml) {
    return Serialization.unmarshal("name: node-a\nrole: Gateway\n" + yaml, NodeStatus.class);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "nothing measured yet: neither peer nor detour", entry("mtu: 1420\n"), null, null),
        Arguments.of(
            "everything the gateway measures",
            entry(
                """
                peerEndpoint: "203.0.113.10:51820"
                lastHandshakeTime: "2026-03-01T11:59:30Z"
                rttMillis: 23.4
                lossPercent: 0.5
                rxBytes: 100
                txBytes: 200
                directRttMillis: 18.2
                """),
            "{\"endpoint\":\"203.0.113.10:51820\",\"lastHandshakeTime\":\"2026-03-01T11:59:30Z\","
                + "\"rttMillis\":23.4,\"lossPercent\":0.5,\"rxBytes\":100,\"txBytes\":200}",
            "{\"directRttMillis\":18.2,\"viaTunnelRttMillis\":23.4}"),
        Arguments.of(
            "an older agent: RTT and counters only, no detour",
            entry("rttMillis: 23.4\nrxBytes: 100\ntxBytes: 200\n"),
            "{\"rttMillis\":23.4,\"rxBytes\":100,\"txBytes\":200}",
            null),
        Arguments.of(
            "GRE: no handshake, the endpoint and loss still count",
            entry("peerEndpoint: \"203.0.113.20\"\nlossPercent: 100.0\n"),
            "{\"endpoint\":\"203.0.113.20\",\"lossPercent\":100.0}",
            null),
        Arguments.of(
            "the peer does not answer through the tunnel, the direct path does",
            entry("directRttMillis: 18.2\nlossPercent: 100.0\n"),
            "{\"lossPercent\":100.0}",
            "{\"directRttMillis\":18.2}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fromTheGatewaysEntry(String name, NodeStatus gateway, String peer, String detour) {
    assertThat(PeerMeasurements.peer(gateway).map(Serialization::asJson).orElse(null))
        .isEqualTo(peer);
    assertThat(PeerMeasurements.detour(gateway).map(Serialization::asJson).orElse(null))
        .isEqualTo(detour);
  }
}
