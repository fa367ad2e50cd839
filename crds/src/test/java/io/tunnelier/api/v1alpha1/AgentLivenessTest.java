package io.tunnelier.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentLivenessTest {
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  private static NodeStatus entry(String lastUpdateTime) {
    NodeStatus s = new NodeStatus();
    s.setName("node-a");
    s.setLastUpdateTime(lastUpdateTime);
    return s;
  }

  private static Lease lease(String holder, Instant renewed) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(AgentHeartbeat.leaseName(holder))
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withRenewTime(renewed == null ? null : renewed.atZone(ZoneOffset.UTC))
        .endSpec()
        .build();
  }

  @Test
  void anOldEntryOfAnAgentThatRenewsItsLeaseIsNotSilence() {
    NodeStatus old = entry("2026-12-06T11:00:00Z");
    Instant renewed = NOW.minusSeconds(20);
    assertThat(AgentLiveness.lastHeard(old, renewed)).contains(renewed);
    assertThat(AgentLiveness.silentSince(old, renewed, NOW)).isEmpty();
    assertThat(AgentLiveness.silentSince(old, null, NOW))
        .contains(Instant.parse("2026-12-06T11:00:00Z"));
  }

  @Test
  void silentWhenNeitherIsNewerThanThreeMinutes() {
    NodeStatus entry = entry("2026-12-06T11:56:30Z");
    Instant renewed = Instant.parse("2026-12-06T11:56:50Z");
    assertThat(AgentLiveness.silentSince(entry, renewed, NOW)).contains(renewed);
    assertThat(AgentLiveness.silentSince(entry, renewed, renewed.plusSeconds(179))).isEmpty();
  }

  @Test
  void aNewerEntryWinsOverAnOldLease() {
    Instant renewed = NOW.minusSeconds(600);
    assertThat(AgentLiveness.lastHeard(entry("2026-12-06T11:59:00Z"), renewed))
        .contains(Instant.parse("2026-12-06T11:59:00Z"));
  }

  @Test
  void unknownIsNeverSilent() {
    assertThat(AgentLiveness.silentSince(null, null, NOW)).isEmpty();
    assertThat(AgentLiveness.silentSince(entry("yesterday"), null, NOW)).isEmpty();
    assertThat(AgentLiveness.lastHeard(entry("yesterday"), NOW)).contains(NOW);
  }

  @Test
  void renewalsByHolderSkipLeasesWithoutOne() {
    Instant a = NOW.minusSeconds(5);
    assertThat(
            AgentLiveness.renewals(
                List.of(lease("node-a", a), lease("node-b", null), lease(null, NOW))))
        .containsOnlyKeys("node-a")
        .containsEntry("node-a", a);
  }
}
