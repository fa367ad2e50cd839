package io.tunnelier.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.FakeDatapath;
import io.tunnelier.api.v1alpha1.NodeDatapath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which of the four datapaths opens a tunnel, by kind and encapsulation. */
class BuiltInDatapathsTest {
  final List<String> opened = new ArrayList<>();
  final BuiltInDatapaths datapaths =
      new BuiltInDatapaths(
          recording("kernel GRE"),
          recording("userspace GRE"),
          recording("kernel WireGuard"),
          recording("userspace WireGuard"));

  @ParameterizedTest
  @CsvSource({
    "KERNEL, GRE, kernel GRE",
    "KERNEL, GREoverUDP, kernel GRE",
    "USERSPACE, GRE, userspace GRE",
    "USERSPACE, GREoverUDP, userspace GRE",
    "KERNEL, WireGuard, kernel WireGuard",
    "USERSPACE, WireGuard, userspace WireGuard",
  })
  void eachKindAndEncapsulationHasOneDatapath(NodeDatapath kind, String encap, String expected)
      throws IOException {
    DatapathConfig config = config(encap);

    Datapath d = datapaths.open(kind, config);

    assertThat(opened).containsExactly(expected);
    assertThat(d.deviceName()).isEqualTo(config.deviceName());
  }

  static DatapathConfig config(String encap) {
    InetSocketAddress peer = new InetSocketAddress("192.0.2.2", 4754);
    return switch (encap) {
      case "GRE" -> new DatapathConfig.Gre("tnl-gre", 0, false, null, 0, peer, 7L, false, false);
      case "GREoverUDP" ->
          new DatapathConfig.Gre("tnl-udp", 0, true, null, 4754, peer, 7L, false, false);
      default ->
          new DatapathConfig.WireGuard(
              "tnl-wg", 0, new byte[32], new byte[32], null, 51820, peer, 0);
    };
  }

  BuiltInDatapaths.Open recording(String which) {
    return config -> {
      opened.add(which);
      return new FakeDatapath(config, FakeDatapath.NO_TRAFFIC, () -> {});
    };
  }
}
