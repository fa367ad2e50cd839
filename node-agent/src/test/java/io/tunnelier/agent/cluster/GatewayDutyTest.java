package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayDutyTest {
  private static Tunnel tunnel(String active, List<String> standby, boolean deleting) {
    Tunnel t = new Tunnel();
    t.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("t").build());
    if (deleting) {
      t.getMetadata().setDeletionTimestamp("2026-12-04T00:00:00Z");
    }
    TunnelStatus s = new TunnelStatus();
    s.setActiveGateway(active);
    s.setStandbyGateways(standby);
    t.setStatus(s);
    return t;
  }

  @Test
  void theActiveGatewayAndTheStandbysHaveADutyMembersNone() {
    List<Tunnel> tunnels =
        List.of(tunnel("node-a", List.of("node-b"), false), tunnel("node-c", null, false));
    assertThat(GatewayDuty.of(tunnels, "node-a")).isTrue();
    assertThat(GatewayDuty.of(tunnels, "node-b")).isTrue();
    assertThat(GatewayDuty.of(tunnels, "node-c")).isTrue();
    assertThat(GatewayDuty.of(tunnels, "node-d")).isFalse();
  }

  @Test
  void aTunnelBeingDeletedOrWithoutStatusGivesNoDuty() {
    Tunnel fresh = new Tunnel();
    fresh.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("t").build());
    assertThat(GatewayDuty.of(List.of(tunnel("node-a", List.of(), true), fresh), "node-a"))
        .isFalse();
    assertThat(GatewayDuty.of(List.of(), "node-a")).isFalse();
  }
}
