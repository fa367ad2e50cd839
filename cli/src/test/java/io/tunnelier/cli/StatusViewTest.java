package io.tunnelier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusViewTest {
  @Test
  void tableHasOneRowPerTunnel() {
    Tunnel broken = Fixtures.healthy();
    broken.getMetadata().setName("egress-dead");
    broken.getStatus().setConditions(List.of());
    broken.getStatus().setPeer(null);
    broken.getStatus().setDetour(null);
    broken.getStatus().setActiveGateway(null);
    broken.getStatus().setNodes(null);

    String table = StatusView.table(List.of(Fixtures.healthy(), broken), false, Fixtures.NOW);

    assertThat(table)
        .isEqualTo(
            """
            NAMESPACE   NAME          TYPE     ENCAP       READY   REASON          GATEWAY   PEER                 RTT       DETOUR    NODES
            scraping    egress-nyc    Egress   WireGuard   True    PeerReachable   node-a    203.0.113.10:51820   23.40ms   +5.20ms   2/2
            scraping    egress-dead   Egress   WireGuard   -       -               -         203.0.113.10:51820   -         -         0/0
            """);
  }

  @Test
  void wideAddsARowPerNode() {
    Tunnel t = Fixtures.healthy();
    t.getStatus().getNodes().get(1).getConditions().get(1).setStatus("False");
    t.getStatus().getNodes().get(1).getConditions().get(1).setReason("ApplyFailed");

    String table = StatusView.table(List.of(t), true, Fixtures.NOW);

    assertThat(table.lines().toList())
        .hasSize(4)
        .element(2)
        .asString()
        .contains(
            "  node-a", "Gateway", "Kernel", "ok", "1420   7s ago    LinkUp RoutesProgrammed");
    assertThat(table.lines().toList().get(3)).contains("problem", "!RoutesProgrammed(ApplyFailed)");
    assertThat(table.lines().toList().get(1)).endsWith("1/2     1420");
  }

  @Test
  void nodesWithNothingToDoSayJustThat() {
    io.tunnelier.api.v1alpha1.NodeStatus e = Fixtures.healthy().getStatus().getNodes().get(1);
    e.getConditions()
        .forEach(
            c -> {
              c.setStatus("False");
              c.setReason("NotNeeded");
            });

    assertThat(StatusView.conditionsShort(e)).isEqualTo("not needed");
  }

  @Test
  void detailShowsPeerHealthAndNodes() {
    String detail = StatusView.detail(Fixtures.healthy(), Fixtures.NOW);

    assertThat(detail)
        .contains("Tunnel:      scraping/egress-nyc (Egress over WireGuard)")
        .contains("Gateway:     node-a  standby: node-b")
        .contains("Addresses:   100.96.0.2/31 <-> 100.96.0.3/31   MTU 1420")
        .contains("Peer health: RTT 23.40ms, loss 0.0%, handshake 12s ago")
        .contains("Detour:      +5.20ms (direct 18.20ms, via the tunnel 23.40ms)")
        .contains("Ready=True (PeerReachable): the peer answers")
        .contains("node-b   Standby   Userspace");
  }

  @Test
  void noTunnels() {
    assertThat(StatusView.table(List.of(), false, Fixtures.NOW)).isEqualTo("No Tunnels found.\n");
  }
}
