package io.tunnelier.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OperatorStatusOnlyTest {
  private static Tunnel tunnel(Consumer<Tunnel> change) {
    Tunnel t =
        Serialization.unmarshal(
            """
            apiVersion: tunnelier.io/v1alpha1
            kind: Tunnel
            metadata: {name: egress, namespace: scraping, uid: u1, generation: 1,
                       resourceVersion: "10", finalizers: [tunnelier.io/cleanup]}
            spec:
              type: Egress
              encapsulation: GRE
              peer: {endpoint: "203.0.113.10"}
            status:
              activeGateway: node-a
              tunnelAddress: 100.96.0.2/31
              conditions: [{type: Ready, status: "False", reason: WaitingForAgents}]
              nodes: [{name: node-a, role: Gateway,
                       conditions: [{type: LinkUp, status: "True", reason: DeviceUp}]}]
            """,
            Tunnel.class);
    change.accept(t);
    return t;
  }

  private static final Consumer<Tunnel> NOTHING = t -> {};

  @Test
  void theOperatorsOwnStatusWriteIsDropped() {
    Tunnel newer =
        tunnel(
            t -> {
              t.getMetadata().setResourceVersion("11");
              Condition ready = new Condition();
              ready.setType("Ready");
              ready.setStatus("True");
              ready.setReason("PeerReachable");
              t.getStatus().setConditions(List.of(ready));
              t.getStatus().setActiveGateway("node-b");
              t.getStatus().setSelectedPods(3);
            });

    assertThat(OperatorStatusOnly.mattersToOperator(newer, tunnel(NOTHING))).isFalse();
    assertThat(new OperatorStatusOnly().accept(newer, tunnel(NOTHING))).isFalse();
  }

  @Test
  void agentsReportsAndTheUsersChangesPass() {
    List<Consumer<Tunnel>> changes =
        List.of(
            t -> t.getStatus().getNodes().get(0).setRttMillis(3.2),
            t -> {
              NodeStatus b = new NodeStatus();
              b.setName("node-b");
              t.getStatus().setNodes(List.of(t.getStatus().getNodes().get(0), b));
            },
            t -> t.getStatus().setNodes(null),
            t -> t.setStatus(null),
            t -> t.getMetadata().setGeneration(2L),
            t -> t.getMetadata().setDeletionTimestamp("2026-12-06T00:00:00Z"),
            t -> t.getMetadata().setFinalizers(List.of()),
            t -> t.getMetadata().setLabels(Map.of("a", "b")),
            t -> t.getMetadata().setAnnotations(Map.of("a", "b")),
            t -> t.getMetadata().setUid("u2"));
    for (Consumer<Tunnel> change : changes) {
      assertThat(OperatorStatusOnly.mattersToOperator(tunnel(change), tunnel(NOTHING))).isTrue();
    }
    assertThat(OperatorStatusOnly.mattersToOperator(tunnel(NOTHING), null)).isTrue();
  }
}
