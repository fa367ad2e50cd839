package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import org.junit.jupiter.api.Test;

class ClusterPlanSourceTest {
  @Test
  void aTunnelIsPlacedOnceTheOperatorNamedItsGatewayOrObservedAGeneration() {
    Tunnel t = new Tunnel();
    assertThat(ClusterPlanSource.placed(t)).as("just created").isFalse();

    TunnelStatus addressesOnly = new TunnelStatus();
    addressesOnly.setTunnelAddress("100.96.0.2/31");
    addressesOnly.setPeerAddress("100.96.0.3/31");
    t.setStatus(addressesOnly);
    assertThat(ClusterPlanSource.placed(t)).as("a WireGuard Tunnel's first write").isFalse();

    addressesOnly.setActiveGateway("node-a");
    assertThat(ClusterPlanSource.placed(t)).isTrue();

    TunnelStatus noCandidate = new TunnelStatus();
    noCandidate.setObservedGeneration(1L);
    t.setStatus(noCandidate);
    assertThat(ClusterPlanSource.placed(t)).as("no node to name, but looked at").isTrue();
  }
}
