package io.tunnelier.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.DetourStatus;
import io.tunnelier.api.v1alpha1.NodeStatus;
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
}
