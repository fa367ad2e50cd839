package io.tunnelier.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.PeerSwitch;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.TestTunnels;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.address.Assignment;
import io.tunnelier.operator.gateway.Election;
import io.tunnelier.operator.gateway.NodeReadiness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** status.peerPaths, activePeer, lastPeerSwitch and the conditions of a Tunnel with backups. */
class BackupPeersStatusTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Assignment PRIMARY =
      new Assignment.Assigned(AddressPair.ofSpecAddress("100.96.0.2/31"));
  private static final Map<String, Assignment> BACKUPS = backups();
  private static final Election ON_A =
      new Election("node-a", List.of("node-b"), null, Optional.empty());
  private static final List<NodeReadiness> CANDIDATES =
      List.of(new NodeReadiness("node-a", true), new NodeReadiness("node-b", true));

  private static Map<String, Assignment> backups() {
    Map<String, Assignment> m = new LinkedHashMap<>();
    m.put("vps-b", new Assignment.Assigned(AddressPair.ofSpecAddress("100.96.0.4/31")));
    m.put("vps-c", new Assignment.Assigned(AddressPair.ofSpecAddress("100.96.0.6/31")));
    return m;
  }

  private static Condition c(String type, String status) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason("R")
        .withMessage("m")
        .build();
  }

  private static PeerPathStatus path(String name, boolean healthy, String reason) {
    PeerPathStatus p = new PeerPathStatus();
    p.setName(name);
    p.setHealthy(healthy);
    p.setReason(reason);
    p.setEndpoint(
        switch (name) {
          case "primary" -> "203.0.113.10:51820";
          case "vps-b" -> "203.0.113.20:51820";
          default -> "198.51.100.30:51820";
        });
    p.setLossPercent(healthy ? 0.0 : 100.0);
    p.setRttMillis(healthy ? 31.5 : null);
    p.setLastHandshakeTime("2026-03-01T11:59:00Z");
    // What an agent might wrongly echo: the operator keeps its own addresses.
    p.setTunnelAddress("10.9.9.9/31");
    return p;
  }

  /** The gateway's entry: up, reporting {@code active} in use and each peer's health. */
  private static NodeStatus gateway(String active, PeerPathStatus... paths) {
    NodeStatus g = new NodeStatus();
    g.setName("node-a");
    g.setRole(NodeRole.GATEWAY);
    g.setConditions(
        List.of(
            c("LinkUp", "True"),
            c("RoutesProgrammed", "True"),
            c("PeerReachable", active.isEmpty() ? "False" : "True")));
    g.setActivePeer(active);
    g.setPeerPaths(List.of(paths));
    return g;
  }

  private static Tunnel with(Tunnel t, NodeStatus... nodes) {
    TunnelStatus s = new TunnelStatus();
    s.setNodes(new ArrayList<>(List.of(nodes)));
    t.setStatus(s);
    return t;
  }

  private static TunnelStatus aggregate(Tunnel t, Map<String, Assignment> backups) {
    return StatusAggregator.aggregate(
        new StatusInputs(t, PRIMARY, CANDIDATES, ON_A, "PUB", NOW, 2, backups));
  }

  private static Condition condition(TunnelStatus s, String type) {
    return Conditions.find(s.getConditions(), type).orElseThrow();
  }

  @Test
  void peerPathsListEveryPeerWithItsOwnAddressesAndTheGatewaysMeasurements() {
    NodeStatus g =
        gateway(
            "primary",
            path("vps-c", false, "3 of 3 probes lost"),
            path("primary", true, null),
            path("vps-b", true, null));
    g.setLastPeerSwitch(new PeerSwitch("2026-03-01T11:00:00Z", "vps-b", "primary", "failback"));
    TunnelStatus s = aggregate(with(TestTunnels.egressWithBackups(), g), BACKUPS);
    assertThat(s.getPeerPaths())
        .extracting(
            PeerPathStatus::getName,
            PeerPathStatus::getTunnelAddress,
            PeerPathStatus::getPeerAddress)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("primary", "100.96.0.2/31", "100.96.0.3/31"),
            org.assertj.core.groups.Tuple.tuple("vps-b", "100.96.0.4/31", "100.96.0.5/31"),
            org.assertj.core.groups.Tuple.tuple("vps-c", "100.96.0.6/31", "100.96.0.7/31"));
    PeerPathStatus c = s.getPeerPaths().get(2);
    assertThat(c.getHealthy()).isFalse();
    assertThat(c.getReason()).isEqualTo("3 of 3 probes lost");
    assertThat(c.getEndpoint()).isEqualTo("198.51.100.30:51820");
    assertThat(c.getLossPercent()).isEqualTo(100.0);
    assertThat(s.getPeerPaths().get(0).getRttMillis()).isEqualTo(31.5);
    assertThat(s.getPeerPaths().get(0).getLastHandshakeTime()).isEqualTo("2026-03-01T11:59:00Z");
    assertThat(s.getTunnelAddress()).isEqualTo("100.96.0.2/31");
    assertThat(s.getActivePeer()).isEqualTo("primary");
    assertThat(s.getLastPeerSwitch().getTo()).isEqualTo("primary");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Degraded").getStatus()).isEqualTo("False");
  }

  @Test
  void withoutBackupsNothingNewAppears() {
    NodeStatus g = gateway("primary", path("primary", true, null));
    g.setLastPeerSwitch(new PeerSwitch("2026-03-01T11:00:00Z", "", "primary", "up"));
    TunnelStatus s = aggregate(with(TestTunnels.egressWireGuard(), g), Map.of());
    assertThat(s.getPeerPaths()).isNull();
    assertThat(s.getActivePeer()).isNull();
    assertThat(s.getLastPeerSwitch()).isNull();
  }

  @Test
  void beforeTheGatewayReportsPeerPathsCarryTheAddressesOnly() {
    TunnelStatus s = aggregate(with(TestTunnels.egressWithBackups()), BACKUPS);
    assertThat(s.getPeerPaths()).hasSize(3);
    assertThat(s.getPeerPaths().get(1).getHealthy()).isNull();
    assertThat(s.getPeerPaths().get(1).getTunnelAddress()).isEqualTo("100.96.0.4/31");
    assertThat(s.getActivePeer()).isNull();
  }

  @Test
  void onABackupReadyStaysTrueAndDegradedSaysWhyAndWhere() {
    NodeStatus g =
        gateway(
            "vps-b",
            path("primary", false, "3 of 3 probes lost"),
            path("vps-b", true, null),
            path("vps-c", true, null));
    TunnelStatus s = aggregate(with(TestTunnels.egressWithBackups(), g), BACKUPS);
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    Condition degraded = condition(s, "Degraded");
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("OnBackupPeer");
    assertThat(degraded.getMessage())
        .isEqualTo(
            "primary unhealthy: 3 of 3 probes lost; traffic leaves through vps-b"
                + " (203.0.113.20:51820)");
    assertThat(s.getActivePeer()).isEqualTo("vps-b");
  }

  @Test
  void onTheLastBackupDegradedNamesEveryPeerBefore() {
    NodeStatus g =
        gateway(
            "vps-c",
            path("primary", false, "3 of 3 probes lost"),
            path("vps-b", false, "no handshake for 180s"),
            path("vps-c", true, null));
    Condition degraded =
        condition(aggregate(with(TestTunnels.egressWithBackups(), g), BACKUPS), "Degraded");
    assertThat(degraded.getMessage())
        .isEqualTo(
            "primary unhealthy: 3 of 3 probes lost; vps-b unhealthy: no handshake for 180s;"
                + " traffic leaves through vps-c (198.51.100.30:51820)");
  }

  @Test
  void noHealthyPeerIsNotReadyAndNamesEveryPeerWithItsReason() {
    NodeStatus g =
        gateway(
            "",
            path("primary", false, "3 of 3 probes lost"),
            path("vps-b", false, "no handshake for 180s"));
    TunnelStatus s = aggregate(with(TestTunnels.egressWithBackups(), g), BACKUPS);
    Condition ready = condition(s, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("NoHealthyPeer");
    assertThat(ready.getMessage())
        .isEqualTo(
            "no peer is healthy from gateway node-a: primary (203.0.113.10:51820): 3 of 3 probes"
                + " lost; vps-b (203.0.113.20:51820): no handshake for 180s; vps-c"
                + " (198.51.100.30:51820): no report from the gateway. The kill switch holds the"
                + " selected pods' traffic until one is");
    assertThat(condition(s, "Degraded").getReason()).isEqualTo("NoHealthyPeer");
    assertThat(s.getActivePeer()).isEmpty();
  }

  @Test
  void aBrokenLinkOnTheGatewayComesBeforeNoHealthyPeer() {
    NodeStatus g = gateway("", path("primary", false, "down"));
    g.setConditions(List.of(c("LinkUp", "False"), c("PeerReachable", "False")));
    Condition ready =
        condition(aggregate(with(TestTunnels.egressWithBackups(), g), BACKUPS), "Ready");
    assertThat(ready.getReason()).isEqualTo("LinkDown");
  }

  @Test
  void anAgentThatReportsNoActivePeerIsJudgedAsBefore() {
    NodeStatus g = gateway("primary");
    g.setActivePeer(null);
    g.setPeerPaths(null);
    TunnelStatus s = aggregate(with(TestTunnels.egressWithBackups(), g), BACKUPS);
    assertThat(condition(s, "Ready").getReason()).isEqualTo("PeerReachable");
    assertThat(condition(s, "Degraded").getStatus()).isEqualTo("False");
  }

  @Test
  void aBackupWithoutAddressesDegradesAWorkingTunnel() {
    Map<String, Assignment> exhausted = new LinkedHashMap<>(BACKUPS);
    exhausted.put("vps-c", new Assignment.PoolExhausted("100.96.0.0/29"));
    NodeStatus g = gateway("primary", path("primary", true, null), path("vps-b", true, null));
    TunnelStatus s = aggregate(with(TestTunnels.egressWithBackups(), g), exhausted);
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    Condition degraded = condition(s, "Degraded");
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("AddressPoolExhausted");
    assertThat(degraded.getMessage())
        .startsWith("no free /31 left in the address pool 100.96.0.0/29 for backup peer vps-c:")
        .contains("cannot fail over to it");
    assertThat(s.getPeerPaths().get(2).getTunnelAddress()).isNull();
  }

  @Test
  void anOlderSwitchFromANewGatewayDoesNotReplaceTheNewerOne() {
    Tunnel t = with(TestTunnels.egressWithBackups(), gateway("primary"));
    PeerSwitch newer = new PeerSwitch("2026-03-01T11:30:00Z", "vps-b", "primary", "failback");
    t.getStatus().setLastPeerSwitch(newer);
    t.getStatus()
        .getNodes()
        .get(0)
        .setLastPeerSwitch(new PeerSwitch("2026-02-01T00:00:00Z", "primary", "vps-b", "old"));
    assertThat(aggregate(t, BACKUPS).getLastPeerSwitch()).isSameAs(newer);
  }

  @Test
  void aRefusedTunnelKeepsItsBackupAddressesAndDropsTheirHealth() {
    NodeStatus g = gateway("vps-b", path("primary", false, "lost"), path("vps-b", true, null));
    Tunnel t = with(TestTunnels.egressWithBackups(), g);
    TunnelStatus ok = aggregate(t, BACKUPS);
    ok.setNodes(t.getStatus().getNodes());
    t.setStatus(ok);
    TunnelStatus refused = StatusAggregator.refused(t, "ClusterRangeOverlap", "m", NOW);
    assertThat(refused.getActivePeer()).isNull();
    assertThat(refused.getPeerPaths().get(1).getTunnelAddress()).isEqualTo("100.96.0.4/31");
    assertThat(refused.getPeerPaths().get(1).getHealthy()).isNull();
  }
}
