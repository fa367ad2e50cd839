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
  void aNodeIsHeardFromByItsLeaseWhenItsEntryIsOld() {
    Tunnel t = Fixtures.healthy();
    t.getStatus().getNodes().forEach(e -> e.setLastUpdateTime("2026-11-22T01:00:00Z"));
    java.util.Map<String, java.time.Instant> renewed =
        java.util.Map.of("node-a", Fixtures.NOW.minusSeconds(4));

    List<String> lines = StatusView.table(List.of(t), true, renewed, Fixtures.NOW).lines().toList();

    assertThat(lines.get(2)).contains("  node-a", "ok", "4s ago");
    assertThat(lines.get(3)).contains("  node-b", "problem");
    assertThat(lines.get(1)).endsWith("1/2     1420");
    assertThat(StatusView.detail(t, renewed, Fixtures.NOW)).contains("HEARD").contains("4s ago");
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
  void detailShowsTheIpv6InnerAddressesWhenTheTunnelCarriesIpv6() {
    io.tunnelier.api.v1alpha1.Tunnel t = Fixtures.healthy();
    assertThat(StatusView.detail(t, Fixtures.NOW)).doesNotContain("fd00:");
    t.getStatus().setTunnelAddress6("fd00:7475:6e6e::6460:2/127");
    t.getStatus().setPeerAddress6("fd00:7475:6e6e::6460:3/127");

    assertThat(StatusView.detail(t, Fixtures.NOW))
        .contains(
            "Addresses:   100.96.0.2/31 <-> 100.96.0.3/31   MTU 1420\n"
                + "             fd00:7475:6e6e::6460:2/127 <-> fd00:7475:6e6e::6460:3/127\n");
  }

  @Test
  void detailShowsEveryVpsOfATunnelWithBackupPeers() {
    Tunnel t = Fixtures.healthy();
    io.tunnelier.api.v1alpha1.PeerPathStatus primary =
        new io.tunnelier.api.v1alpha1.PeerPathStatus();
    primary.setName("primary");
    primary.setEndpoint("203.0.113.10:51820");
    primary.setTunnelAddress("100.96.0.2/31");
    primary.setHealthy(false);
    primary.setLossPercent(25.0);
    primary.setReason("3 probes in a row lost (unhealthy after 3)");
    io.tunnelier.api.v1alpha1.PeerPathStatus backup =
        new io.tunnelier.api.v1alpha1.PeerPathStatus();
    backup.setName("vps-fra");
    backup.setEndpoint("203.0.113.20:51820");
    backup.setTunnelAddress("100.96.0.4/31");
    backup.setHealthy(true);
    backup.setLossPercent(0.0);
    backup.setRttMillis(4.9);
    t.getStatus().setPeerPaths(List.of(primary, backup));
    t.getStatus().setActivePeer("vps-fra");
    t.getStatus()
        .setLastPeerSwitch(
            new io.tunnelier.api.v1alpha1.PeerSwitch(
                "2026-11-22T03:05:00Z",
                "primary",
                "vps-fra",
                "primary unhealthy: 3 probes in a row lost (unhealthy after 3)"));

    String detail = StatusView.detail(t, Fixtures.NOW);

    assertThat(detail)
        .contains("VPS in use:  vps-fra")
        .contains("Last switch: primary -> vps-fra, 1m ago: primary unhealthy")
        .containsPattern("\\*\\s+vps-fra\\s+203.0.113.20:51820\\s+100.96.0.4/31\\s+yes\\s+0.0%")
        .containsPattern("primary\\s+203.0.113.10:51820\\s+100.96.0.2/31\\s+no\\s+25.0%");
    t.getStatus().setActivePeer("");
    assertThat(StatusView.detail(t, Fixtures.NOW))
        .contains("VPS in use:  none healthy (the kill switch holds the traffic)");
  }

  @Test
  void noTunnels() {
    assertThat(StatusView.table(List.of(), false, Fixtures.NOW)).isEqualTo("No Tunnels found.\n");
  }
}
