package io.tunnelier.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.DetourStatus;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.PeerStatus;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusComparisonTest {
  private static TunnelStatus status(String endpoint, double rtt, long rx, String gateway) {
    TunnelStatus s = new TunnelStatus();
    s.setActiveGateway(gateway);
    PeerStatus peer = new PeerStatus();
    peer.setEndpoint(endpoint);
    peer.setRttMillis(rtt);
    peer.setRxBytes(rx);
    s.setPeer(peer);
    DetourStatus detour = new DetourStatus();
    detour.setViaTunnelRttMillis(rtt);
    s.setDetour(detour);
    NodeStatus node = new NodeStatus();
    node.setName(gateway);
    node.setRxBytes(rx);
    s.setNodes(List.of(node));
    return s;
  }

  @Test
  void measurementsAloneAreNotNewsButTheRestIs() {
    TunnelStatus before = status("203.0.113.10:51820", 12.5, 100, "node-a");
    TunnelStatus slower = status("203.0.113.10:51820", 30.0, 900, "node-a");
    TunnelStatus roamed = status("203.0.113.11:51820", 12.5, 100, "node-a");
    TunnelStatus moved = status("203.0.113.10:51820", 12.5, 100, "node-b");

    assertThat(StatusComparison.differs(before, slower)).isTrue();
    assertThat(StatusComparison.differsBeyondMeasurements(before, slower)).isFalse();
    assertThat(StatusComparison.differsBeyondMeasurements(before, roamed)).isTrue();
    assertThat(StatusComparison.differsBeyondMeasurements(before, moved)).isTrue();
    assertThat(StatusComparison.differsBeyondMeasurements(null, before)).isTrue();
    // A first value is news: the first bytes, the first RTT.
    TunnelStatus idle = status("203.0.113.10:51820", 12.5, 0, "node-a");
    assertThat(StatusComparison.differsBeyondMeasurements(idle, before)).isTrue();
    TunnelStatus noRtt = status("203.0.113.10:51820", 12.5, 100, "node-a");
    noRtt.getPeer().setRttMillis(null);
    assertThat(StatusComparison.differsBeyondMeasurements(noRtt, before)).isTrue();
    assertThat(StatusComparison.differsBeyondMeasurements(before, noRtt))
        .as("and so is losing one")
        .isTrue();
    // The agents' entries are never the operator's to compare.
    assertThat(before.getPeer().getRttMillis()).isEqualTo(12.5);
  }

  @Test
  void aReadingMovesWithItsRttBeyondJitterItsLossOrANewHandshakeNeverWithBytes() {
    TunnelStatus shown = status("203.0.113.10:51820", 30.0, 100, "node-a");
    shown.getPeer().setLossPercent(0.0);
    shown.getPeer().setLastHandshakeTime("2026-12-06T10:00:00Z");

    TunnelStatus moreBytes = status("203.0.113.10:51820", 30.0, 9_000_000, "node-a");
    moreBytes.getPeer().setLossPercent(0.0);
    moreBytes.getPeer().setLastHandshakeTime("2026-12-06T10:00:00Z");
    assertThat(StatusComparison.readingsMoved(shown, moreBytes)).as("bytes alone").isFalse();

    TunnelStatus jitter = StatusComparison.operatorPart(moreBytes);
    jitter.getPeer().setRttMillis(35.9); // 19.7% of 30 ms
    jitter.getDetour().setViaTunnelRttMillis(24.1);
    assertThat(StatusComparison.readingsMoved(shown, jitter)).as("within 20%").isFalse();

    TunnelStatus slower = StatusComparison.operatorPart(moreBytes);
    slower.getPeer().setRttMillis(36.0);
    assertThat(StatusComparison.readingsMoved(shown, slower)).as("20% slower").isTrue();
    TunnelStatus detour = StatusComparison.operatorPart(moreBytes);
    detour.getDetour().setViaTunnelRttMillis(24.0);
    assertThat(StatusComparison.readingsMoved(shown, detour)).as("detour 20% faster").isTrue();

    // On a LAN a busy node's 0.5 ms reading 4 ms once is jitter too: less than 5 ms.
    TunnelStatus lan = status("203.0.113.10:51820", 0.5, 100, "node-a");
    TunnelStatus lanLater = status("203.0.113.10:51820", 5.4, 100, "node-a");
    assertThat(StatusComparison.readingsMoved(lan, lanLater)).isFalse();
    lanLater.getPeer().setRttMillis(5.5);
    assertThat(StatusComparison.readingsMoved(lan, lanLater)).isTrue();

    TunnelStatus lossy = StatusComparison.operatorPart(moreBytes);
    lossy.getPeer().setLossPercent(10.0);
    assertThat(StatusComparison.readingsMoved(shown, lossy)).as("loss").isTrue();
    TunnelStatus rekeyed = StatusComparison.operatorPart(moreBytes);
    rekeyed.getPeer().setLastHandshakeTime("2026-12-06T10:02:00Z");
    assertThat(StatusComparison.readingsMoved(shown, rekeyed)).as("a new handshake").isTrue();

    TunnelStatus backups = StatusComparison.operatorPart(moreBytes);
    backups.setPeerPaths(List.of(path("primary", 30.0), path("backup", 40.0)));
    TunnelStatus backupsJitter = StatusComparison.operatorPart(backups);
    backupsJitter.getPeerPaths().get(1).setRttMillis(47.9);
    assertThat(StatusComparison.readingsMoved(backups, backupsJitter)).isFalse();
    backupsJitter.getPeerPaths().get(1).setRttMillis(48.0);
    assertThat(StatusComparison.readingsMoved(backups, backupsJitter)).as("a backup's").isTrue();
  }

  private static PeerPathStatus path(String name, double rtt) {
    PeerPathStatus p = new PeerPathStatus();
    p.setName(name);
    p.setRttMillis(rtt);
    return p;
  }
}
