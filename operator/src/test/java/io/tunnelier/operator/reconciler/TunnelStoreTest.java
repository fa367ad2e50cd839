package io.tunnelier.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.Tunnel;
import org.junit.jupiter.api.Test;

class TunnelStoreTest {
  private static final String TUNNEL =
      """
      apiVersion: tunnelier.io/v1alpha1
      kind: Tunnel
      metadata:
        name: egress
        namespace: scraping
        uid: u1
        generation: 2
        resourceVersion: "42"
        labels: {team: scraping}
        annotations: {note: kept}
        finalizers: [tunnelier.io/cleanup]
        managedFields:
        - {manager: tunnelier-agent/node-a, operation: Apply, subresource: status,
           fieldsType: FieldsV1, fieldsV1: {"f:status": {"f:nodes": {}}}}
        - {manager: tunnelier-agent/node-b, operation: Apply, subresource: status,
           fieldsType: FieldsV1, fieldsV1: {"f:status": {"f:nodes": {}}}}
      spec:
        type: Egress
        encapsulation: GRE
        peer: {endpoint: "203.0.113.10"}
      status:
        activeGateway: node-a
        conditions: [{type: Ready, status: "True", reason: PeerReachable, message: ok}]
        nodes: [{name: node-a, role: Gateway}, {name: node-b, role: Member}]
      """;

  @Test
  void keepsAllButTheManagedFields() {
    Tunnel full = Serialization.unmarshal(TUNNEL, Tunnel.class);

    Tunnel kept = TunnelStore.prune(full);

    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    full.getMetadata().setManagedFields(null);
    assertThat(Serialization.asJson(kept)).isEqualTo(Serialization.asJson(full));
  }

  @Test
  void theStoreHoldsThePrunedTunnel() {
    Tunnel full = Serialization.unmarshal(TUNNEL, Tunnel.class);
    TunnelStore store = new TunnelStore();

    store.put(store.getKey(full), full);

    Tunnel kept = store.get("scraping/egress");
    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getMetadata().getFinalizers()).containsExactly("tunnelier.io/cleanup");
    assertThat(kept.getStatus().getNodes()).hasSize(2);
    assertThat(full.getMetadata().getManagedFields())
        .as("the informer's object is left alone")
        .hasSize(2);
  }
}
