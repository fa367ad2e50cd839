package io.tunnelier.agent.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tunnelier.agent.plan.BackupPeers;
import io.tunnelier.agent.plan.PeerDevice;
import io.tunnelier.agent.plan.Role;
import io.tunnelier.agent.plan.TunnelDevice;
import io.tunnelier.agent.plan.TunnelId;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PeerHealthTest {
  private static final String KEY = "scraping/egress";
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  private PeerHealth health;
  private int second;

  @BeforeEach
  void setUp() {
    health = new PeerHealth(PeerHealth.Settings.DEFAULTS);
    health.watch(List.of(plan("primary")));
  }

  private static TunnelDevice device(String name, String local, String peer) {
    return new TunnelDevice(name, Cidr.parseIpv4(local), peer, 1420, null, null, null);
  }

  private static TunnelPlan plan(String active) {
    TunnelId id = TunnelId.of(KEY);
    List<PeerDevice> peers =
        List.of(
            new PeerDevice(
                "primary", 0, device(id.deviceName(), "100.96.0.2/31", "100.96.0.3"), null),
            new PeerDevice(
                "vps-b", 1, device(id.deviceName() + "-1", "100.96.0.4/31", "100.96.0.5"), null));
    return new TunnelPlan(
        id,
        Role.GATEWAY,
        TunnelType.EGRESS,
        null,
        null,
        null,
        null,
        0,
        null,
        null,
        null,
        null,
        new BackupPeers(peers, active));
  }

  /** One probe round: each peer answered or not. */
  private List<PeerHealth.Switch> round(boolean primary, boolean backup) {
    Instant now = T0.plusSeconds(second++);
    List<PeerHealth.Switch> out = new java.util.ArrayList<>();
    for (PeerHealth.Target t : health.targets()) {
      boolean up = t.peer().equals("primary") ? primary : backup;
      out.addAll(health.record(t, up ? OptionalDouble.of(20) : OptionalDouble.empty(), now));
    }
    return out;
  }

  @Test
  void staysOnThePrimaryWhileItAnswers() {
    for (int i = 0; i < 30; i++) {
      assertThat(round(true, i % 2 == 0)).isEmpty();
    }
    assertThat(health.routedPeers()).isEqualTo(Map.of(KEY, "primary"));
  }

  @Test
  void failsOverAfterThreeLostProbesInARow() {
    round(true, true);
    assertThat(round(false, true)).isEmpty();
    assertThat(round(false, true)).isEmpty();
    List<PeerHealth.Switch> s = round(false, true);
    assertThat(s).hasSize(1);
    assertThat(s.get(0).change().getFrom()).isEqualTo("primary");
    assertThat(s.get(0).change().getTo()).isEqualTo("vps-b");
    assertThat(s.get(0).change().getReason())
        .isEqualTo("primary unhealthy: 3 probes in a row lost (unhealthy after 3)");
    assertThat(health.routedPeers()).isEqualTo(Map.of(KEY, "vps-b"));
    PeerHealth.Report r = health.report(KEY, Map.of("vps-b", "203.0.113.20:51820")).orElseThrow();
    assertThat(r.activePeer()).isEqualTo("vps-b");
    assertThat(r.peerPaths()).extracting(p -> p.getHealthy()).containsExactly(false, true);
    assertThat(r.peerPaths().get(1).getEndpoint()).isEqualTo("203.0.113.20:51820");
    assertThat(r.peerPaths().get(0).getLossPercent()).isEqualTo(75.0);
  }

  @Test
  void oneLostProbeIsNotAFailover() {
    for (int i = 0; i < 10; i++) {
      assertThat(round(i % 3 != 0, true)).isEmpty();
    }
    assertThat(health.routedPeers()).isEqualTo(Map.of(KEY, "primary"));
  }

  @Test
  void failsBackOnlyAfterTheHoldDown() {
    round(true, true);
    for (int i = 0; i < 3; i++) {
      round(false, true);
    }
    assertThat(health.routedPeers().get(KEY)).isEqualTo("vps-b");
    // The primary answers again: healthy after 3, traffic back only after 10 in a row.
    for (int i = 0; i < 9; i++) {
      assertThat(round(true, true)).as("answer %d", i + 1).isEmpty();
    }
    List<PeerHealth.Switch> s = round(true, true);
    assertThat(s).hasSize(1);
    assertThat(s.get(0).change().getTo()).isEqualTo("primary");
    assertThat(s.get(0).change().getReason())
        .isEqualTo("failback: primary answered 10 probes in a row (failback after 10)");
  }

  @Test
  void failbackZeroStaysOnTheBackupWhileItIsHealthy() {
    health = new PeerHealth(new PeerHealth.Settings(3, 3, 0));
    health.watch(List.of(plan("primary")));
    round(true, true);
    for (int i = 0; i < 3; i++) {
      round(false, true);
    }
    for (int i = 0; i < 30; i++) {
      assertThat(round(true, true)).isEmpty();
    }
    assertThat(health.routedPeers().get(KEY)).isEqualTo("vps-b");
    // Until the backup fails: then the healthy primary takes the traffic.
    round(true, false);
    round(true, false);
    assertThat(round(true, false)).extracting(s -> s.change().getTo()).containsExactly("primary");
  }

  @Test
  void noHealthyPeerIsReportedAndTheRoutesStay() {
    round(true, true);
    for (int i = 0; i < 2; i++) {
      round(false, false);
    }
    // The primary's third loss is recorded first: traffic moves to vps-b for an instant, and its
    // own third loss in the same round leaves no healthy peer.
    List<PeerHealth.Switch> s = round(false, false);
    PeerHealth.Switch last = s.get(s.size() - 1);
    assertThat(last.change().getTo()).isEmpty();
    assertThat(last.change().getReason()).startsWith("no healthy peer: vps-b 3 probes");
    // The plan keeps routing into the last peer in use: the kill switch holds the traffic.
    assertThat(health.routedPeers().get(KEY)).isEqualTo("vps-b");
    assertThat(health.report(KEY, Map.of()).orElseThrow().activePeer()).isEmpty();
    assertThat(round(false, false)).isEmpty();
    // The backup answers 3 in a row: traffic moves there.
    round(false, true);
    round(false, true);
    s = round(false, true);
    assertThat(s).hasSize(1);
    assertThat(s.get(0).change().getFrom()).isEmpty();
    assertThat(s.get(0).change().getReason()).isEqualTo("vps-b healthy again");
    assertThat(s.get(0).change().getTo()).isEqualTo("vps-b");
  }

  @Test
  void aPeerWithoutDeviceIsUnhealthyWithThePlansReason() {
    TunnelId id = TunnelId.of(KEY);
    health.watch(
        List.of(
            new TunnelPlan(
                id,
                Role.GATEWAY,
                TunnelType.EGRESS,
                null,
                null,
                null,
                null,
                0,
                null,
                null,
                null,
                null,
                new BackupPeers(
                    List.of(
                        new PeerDevice(
                            "primary",
                            0,
                            device(id.deviceName(), "100.96.0.2/31", "100.96.0.3"),
                            null),
                        new PeerDevice("vps-b", 1, null, "waiting for addresses")),
                    "primary"))));
    assertThat(health.targets()).extracting(PeerHealth.Target::peer).containsExactly("primary");
    PeerHealth.Report r = health.report(KEY, Map.of()).orElseThrow();
    assertThat(r.peerPaths().get(1).getHealthy()).isFalse();
    assertThat(r.peerPaths().get(1).getReason()).isEqualTo("waiting for addresses");
  }

  @Test
  void aRestartedAgentKeepsThePeerItReportedLast() {
    PeerHealth fresh = new PeerHealth(PeerHealth.Settings.DEFAULTS);
    fresh.watch(List.of(plan("vps-b")));
    assertThat(fresh.routedPeers()).isEqualTo(Map.of(KEY, "vps-b"));
  }

  @Test
  void tunnelsNoLongerPlannedAreForgotten() {
    health.watch(List.of());
    assertThat(health.targets()).isEmpty();
    assertThat(health.report(KEY, Map.of())).isEmpty();
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new PeerHealth.Settings(0, 3, 10));
    assertThrows(IllegalArgumentException.class, () -> new PeerHealth.Settings(3, 3, 2));
    assertThat(new PeerHealth.Settings(3, 3, 0).failbackAfter()).isZero();
  }
}
