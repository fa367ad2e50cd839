package io.tunnelier.agent.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.plan.BackupPeers;
import io.tunnelier.agent.plan.PeerDevice;
import io.tunnelier.agent.plan.Role;
import io.tunnelier.agent.plan.TunnelDevice;
import io.tunnelier.agent.plan.TunnelId;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PeerHealthProberTest {
  private static final String KEY = "scraping/egress";

  private static TunnelPlan plan() {
    TunnelId id = TunnelId.of(KEY);
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
        new BackupPeers(
            List.of(
                new PeerDevice(
                    "primary",
                    0,
                    new TunnelDevice(
                        id.deviceName(),
                        Cidr.parseIpv4("100.96.0.2/31"),
                        "100.96.0.3",
                        1420,
                        null,
                        null,
                        null),
                    null),
                new PeerDevice(
                    "vps-b",
                    1,
                    new TunnelDevice(
                        id.deviceName() + "-1",
                        Cidr.parseIpv4("100.96.0.4/31"),
                        "100.96.0.5",
                        1420,
                        null,
                        null,
                        null),
                    null)),
            "primary"));
  }

  @Test
  void roundsProbeEveryPeerAndReportTheSwitch() {
    PeerHealth health = new PeerHealth(PeerHealth.Settings.DEFAULTS);
    health.watch(List.of(plan()));
    Set<String> answering = ConcurrentHashMap.newKeySet();
    answering.addAll(Set.of("100.96.0.3", "100.96.0.5"));
    List<PeerHealth.Switch> switched = new CopyOnWriteArrayList<>();
    try (PeerHealthProber prober =
        new PeerHealthProber(
            health,
            inner -> answering.contains(inner) ? OptionalDouble.of(5) : OptionalDouble.empty(),
            Duration.ofSeconds(1),
            Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC),
            switched::addAll)) {
      prober.round();
      assertThat(switched).isEmpty();
      answering.remove("100.96.0.3"); // the primary VPS stops
      prober.round();
      prober.round();
      assertThat(switched).isEmpty();
      prober.round();
      assertThat(switched).hasSize(1);
      assertThat(switched.get(0).change().getTo()).isEqualTo("vps-b");
      assertThat(health.routedPeers()).containsEntry(KEY, "vps-b");
    }
  }

  @Test
  void aProbeThatThrowsCountsAsLost() {
    PeerHealth health = new PeerHealth(PeerHealth.Settings.DEFAULTS);
    health.watch(List.of(plan()));
    try (PeerHealthProber prober =
        new PeerHealthProber(
            health,
            inner -> {
              throw new IllegalStateException("no route");
            },
            Duration.ofSeconds(1),
            Clock.systemUTC(),
            s -> {})) {
      prober.round();
      assertThat(health.report(KEY, java.util.Map.of()).orElseThrow().peerPaths())
          .allMatch(p -> p.getLossPercent() == 100.0);
    }
  }

  @Test
  void theProbeTimeoutLeavesRoomInTheInterval() {
    assertThat(PeerHealthProber.probeTimeoutMillis(Duration.ofSeconds(1))).isEqualTo(800);
    assertThat(PeerHealthProber.probeTimeoutMillis(Duration.ofMillis(50))).isEqualTo(100);
  }
}
