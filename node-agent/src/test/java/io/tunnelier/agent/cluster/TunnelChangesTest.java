package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TunnelChangesTest {
  private static Tunnel tunnel() {
    Tunnel t =
        Serialization.unmarshal(
            """
            apiVersion: tunnelier.io/v1alpha1
            kind: Tunnel
            metadata: {name: egress, namespace: scraping, uid: u1, generation: 1, resourceVersion: "10"}
            spec:
              type: Egress
              encapsulation: GRE
              peer: {endpoint: "203.0.113.10"}
              egress: {podSelector: {matchLabels: {app: scraper}}}
            status:
              activeGateway: node-a
              standbyGateways: [node-b]
              tunnelAddress: 100.96.0.2/31
              peerAddress: 100.96.0.3/31
              mtu: 1472
            """,
            Tunnel.class);
    return t;
  }

  private static Tunnel changed(Consumer<Tunnel> change) {
    Tunnel t = tunnel();
    change.accept(t);
    return t;
  }

  @Test
  void statusReportsAndBookkeepingDoNotMatter() {
    Tunnel before = tunnel();
    assertThat(
            TunnelChanges.mattersToAgents(
                before,
                changed(
                    t -> {
                      t.getMetadata().setResourceVersion("11");
                      NodeStatus n = new NodeStatus();
                      n.setName("node-c");
                      t.getStatus().setNodes(List.of(n));
                      Condition ready = new Condition();
                      ready.setType("Ready");
                      ready.setStatus("True");
                      t.getStatus().setConditions(List.of(ready));
                      t.getStatus().setSelectedPods(3);
                      t.getStatus().setObservedGeneration(1L);
                      // no plan reads them, and the informer's store does not keep them
                      t.getMetadata().setLabels(Map.of("a", "b"));
                      t.getMetadata().setAnnotations(Map.of("a", "b"));
                      t.getMetadata().setFinalizers(List.of("tunnelier.io/cleanup"));
                    })))
        .isFalse();
  }

  /** The old object of an update is the store's pruned copy; the new one comes in full. */
  @Test
  void aPrunedBeforeAgainstAFullAfterIsNoChange() {
    Tunnel full = tunnel();
    full.getMetadata()
        .setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{}"));
    full.getMetadata().setFinalizers(List.of("tunnelier.io/cleanup"));
    NodeStatus other = new NodeStatus();
    other.setName("node-c");
    full.getStatus().setNodes(List.of(other));

    assertThat(TunnelChanges.mattersToAgents(KubeObjects.pruneTunnel(full, "node-a"), full))
        .isFalse();
    Tunnel moved = tunnel();
    moved.getStatus().setActiveGateway("node-b");
    assertThat(TunnelChanges.mattersToAgents(KubeObjects.pruneTunnel(full, "node-a"), moved))
        .isTrue();
  }

  @Test
  void whatThePlansReadMatters() {
    Tunnel before = tunnel();
    List<Consumer<Tunnel>> changes =
        List.of(
            t -> t.getMetadata().setGeneration(2L), // a spec change
            t -> t.getMetadata().setDeletionTimestamp("2026-11-22T08:00:00Z"),
            t -> t.getMetadata().setUid("u2"),
            t -> t.getStatus().setActiveGateway("node-b"),
            t -> t.getStatus().setStandbyGateways(List.of()),
            t -> t.getStatus().setTunnelAddress("100.96.0.4/31"),
            t -> t.getStatus().setPeerAddress("100.96.0.5/31"),
            t -> t.getStatus().setTunnelAddress6("fd00:7475:6e6e::6460:4/127"),
            t -> t.getStatus().setPeerAddress6("fd00:7475:6e6e::6460:5/127"),
            t -> t.getStatus().setPublicKey("k"),
            t -> t.getStatus().setMtu(1400),
            t -> t.setStatus(null));
    for (Consumer<Tunnel> c : changes) {
      assertThat(TunnelChanges.mattersToAgents(before, changed(c))).isTrue();
    }
    assertThat(TunnelChanges.mattersToAgents(null, before)).isTrue();
    TunnelStatus empty = new TunnelStatus();
    Tunnel none = changed(t -> t.setStatus(null));
    assertThat(TunnelChanges.mattersToAgents(none, changed(t -> t.setStatus(empty)))).isFalse();
  }
}
