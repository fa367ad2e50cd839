package io.tunnelier.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.TestTunnels;
import java.util.List;
import org.junit.jupiter.api.Test;

class TunnelReconcilerTest {
  @Test
  void statusPatchNeverCarriesTheAgentsEntries() {
    Tunnel tunnel = TestTunnels.egressWireGuard();
    tunnel.getMetadata().setResourceVersion("42");
    TunnelStatus status = new TunnelStatus();
    NodeStatus agent = new NodeStatus();
    agent.setName("node-a");
    status.setNodes(List.of(agent));
    status.setActiveGateway("node-a");
    Tunnel patch = StatusWriter.statusPatch(tunnel, status);
    String json = Serialization.asJson(patch);
    assertThat(json).doesNotContain("\"nodes\"").doesNotContain("\"spec\"");
    assertThat(json).contains("\"activeGateway\":\"node-a\"");
    assertThat(patch.getMetadata().getName()).isEqualTo("egress-nyc");
    assertThat(patch.getMetadata().getNamespace()).isEqualTo("scraping");
    assertThat(patch.getApiVersion()).isEqualTo("tunnelier.io/v1alpha1");
    assertThat(patch.getKind()).isEqualTo("Tunnel");
    assertThat(status.getNodes()).as("the input is not modified").hasSize(1);
  }

  @Test
  void claimCarriesTheRecordedAddresses() {
    Tunnel tunnel = TestTunnels.egressWireGuard();
    tunnel.setStatus(new TunnelStatus());
    tunnel.getStatus().setTunnelAddress("100.96.0.8/31");
    tunnel.getStatus().setPeerAddress("100.96.0.9/31");
    var claim = TunnelReconciler.claim(tunnel);
    assertThat(claim.uid()).isEqualTo("1111-2222");
    assertThat(claim.name()).isEqualTo("scraping/egress-nyc");
    assertThat(claim.recordedAddress()).isEqualTo("100.96.0.8/31");
    assertThat(claim.recordedPeerAddress()).isEqualTo("100.96.0.9/31");
  }

  @Test
  void claimsListTheBackupPeersWithTheAddressesTheirPeerPathsRecord() {
    Tunnel tunnel = TestTunnels.egressWithBackups();
    tunnel.setStatus(new TunnelStatus());
    PeerPathStatus b = new PeerPathStatus();
    b.setName("vps-b");
    b.setTunnelAddress("100.96.0.20/31");
    b.setPeerAddress("100.96.0.21/31");
    tunnel.getStatus().setPeerPaths(List.of(b));
    var claims = TunnelReconciler.claims(tunnel);
    assertThat(claims)
        .extracting(c -> c.uid())
        .containsExactly("7777-8888", "7777-8888/peer/vps-b", "7777-8888/peer/vps-c");
    assertThat(claims.get(1).recordedAddress()).isEqualTo("100.96.0.20/31");
    assertThat(claims.get(1).recordedPeerAddress()).isEqualTo("100.96.0.21/31");
    assertThat(claims.get(1).creationTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(claims.get(2).recordedAddress()).isNull();
    assertThat(TunnelReconciler.claims(TestTunnels.egressWireGuard())).hasSize(1);
  }

  @Test
  void errorsAreDescribedWithoutRequestBodies() {
    KubernetesClientException refused =
        new KubernetesClientException(
            "Failure executing: POST ... body with privateKey=SECRET", 403, null);
    assertThat(ReconcileFailures.describe(new RuntimeException(refused)))
        .contains("HTTP 403")
        .doesNotContain("SECRET");
    assertThat(ReconcileFailures.describe(new IllegalStateException("key=SECRET")))
        .doesNotContain("SECRET");
  }
}
