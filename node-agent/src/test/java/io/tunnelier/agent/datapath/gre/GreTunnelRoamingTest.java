package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.net.Packets;
import io.tunnelier.api.net.Cidr;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A learning tunnel's peer: learned and moved only within allowedSources, each move counted. */
class GreTunnelRoamingTest {
  private final GreTunnel tunnel =
      new GreTunnel(
          "tnl0",
          7,
          false,
          false,
          true,
          null,
          1400,
          null,
          SourceFilter.of(List.of(Cidr.parseIpv4("198.51.100.0/24"))));
  private final PacketBatch batch = new PacketBatch(1, 64, 2048);
  private final GreHeader header = new GreHeader();

  /** Receives one keyed packet from {@code source}; the drop reason, or null when accepted. */
  private GreDrop from(String source) throws Exception {
    byte[] inner =
        Packets.ipv4(
            Packets.ipv4("100.64.0.1"),
            Packets.ipv4("100.64.0.2"),
            1,
            true,
            Packets.echoRequest(false, 1, 1, new byte[8]));
    batch.clear();
    int i = batch.add(UserspaceGreDatapathTest.grePacket(inner, false, 7, -1));
    batch.setSource(i, Endpoint.of(InetAddress.getByName(source), 4754));
    assertThat(GreCodec.decode(batch.buffer(), batch.offset(i), batch.length(i), header)).isNull();
    return tunnel.accept(batch, i, header);
  }

  @Test
  void learnsAndRoamsOnlyWithinAllowedSourcesCountingEachChange() throws Exception {
    assertThat(from("203.0.113.66")).isEqualTo(GreDrop.SOURCE_NOT_ALLOWED);
    assertThat(tunnel.peer()).isNull();
    assertThat(tunnel.roams()).isZero();

    assertThat(from("198.51.100.1")).isNull();
    assertThat(tunnel.peer()).hasToString("198.51.100.1:4754");
    assertThat(from("198.51.100.1")).isNull();
    assertThat(tunnel.roams()).as("the same peer again is no change").isEqualTo(1);

    // Flapping between two allowed gateways: every change counted (and logged only at powers
    // of two), the peer follows.
    for (int k = 0; k < 100; k++) {
      assertThat(from(k % 2 == 0 ? "198.51.100.2" : "198.51.100.1")).isNull();
    }
    assertThat(tunnel.roams()).isEqualTo(101);
    assertThat(tunnel.peer()).hasToString("198.51.100.1:4754");

    // A stranger with the key changes nothing.
    assertThat(from("203.0.113.66")).isEqualTo(GreDrop.SOURCE_NOT_ALLOWED);
    assertThat(tunnel.peer()).hasToString("198.51.100.1:4754");
    assertThat(tunnel.roams()).isEqualTo(101);
  }
}
