package io.tunnelier.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.operator.gateway.GatewayCandidates;
import io.tunnelier.operator.policy.ClusterRanges;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's Node cache keeps what its readers read, and nothing more. */
class NodeEventsTest {
  /** A node as the API server sends it: managedFields, images, capacity, every condition. */
  private static final String NODE =
      """
      {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-b","uid":"n1",
       "resourceVersion":"815","labels":{"kubernetes.io/hostname":"node-b",
         "tunnelier.io/gateway":"true"},
       "annotations":{"node.alpha.kubernetes.io/ttl":"0"},
       "managedFields":[{"manager":"kubelet","operation":"Update","apiVersion":"v1",
         "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:images":{}}}}]},
      "spec":{"podCIDR":"100.64.2.0/24","podCIDRs":["100.64.2.0/24","fd00:64:2::/64"],
       "taints":[{"key":"k","effect":"NoSchedule"}]},
      "status":{"addresses":[{"type":"InternalIP","address":"192.0.2.12"},
         {"type":"ExternalIP","address":"198.51.100.12"},{"type":"Hostname","address":"node-b"}],
       "capacity":{"cpu":"2"},"allocatable":{"cpu":"2"},
       "conditions":[{"type":"MemoryPressure","status":"False","reason":"KubeletHasSufficientMemory",
         "lastHeartbeatTime":"2026-12-05T00:00:00Z"},
        {"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status",
         "lastHeartbeatTime":"2026-12-05T00:00:00Z","lastTransitionTime":"2026-12-04T00:00:00Z"}],
       "images":[{"names":["registry.example/scraper:1"],"sizeBytes":1},
         {"names":["registry.example/web:2"],"sizeBytes":2}],
       "nodeInfo":{"kubeletVersion":"v1.36.3"}}}
      """;

  @Test
  void aPrunedNodeReadsAsTheFullOne() {
    Node full = Serialization.unmarshal(NODE, Node.class);

    Node pruned = NodeEvents.prune(full);

    assertThat(GatewayCandidates.matching(List.of(pruned), Map.of("tunnelier.io/gateway", "true")))
        .isEqualTo(
            GatewayCandidates.matching(List.of(full), Map.of("tunnelier.io/gateway", "true")))
        .hasSize(1);
    assertThat(GatewayCandidates.isReady(pruned)).isTrue();
    assertThat(GatewayCandidates.podCidrs(List.of(pruned)))
        .isEqualTo(GatewayCandidates.podCidrs(List.of(full)))
        .containsExactly("100.64.2.0/24", "fd00:64:2::/64");
    assertThat(GatewayCandidates.externalAddresses(List.of(pruned), Map.of()))
        .isEqualTo(GatewayCandidates.externalAddresses(List.of(full), Map.of()))
        .containsExactly("198.51.100.12/32");
    assertThat(ClusterRanges.of(List.of(pruned), List.of()))
        .isEqualTo(ClusterRanges.of(List.of(full), List.of()));
    assertThat(NodeEvents.relevant(full, pruned))
        .as("nothing the operator reads changed")
        .isFalse();
    assertThat(pruned.getMetadata().getManagedFields()).isEmpty();
    assertThat(pruned.getStatus().getImages()).isEmpty();
    assertThat(pruned.getStatus().getConditions()).hasSize(1);
    assertThat(Serialization.asJson(pruned).length())
        .as("what the cache keeps")
        .isLessThan(Serialization.asJson(full).length() / 2);
    assertThat(full.getStatus().getImages()).as("the informer's object is left alone").hasSize(2);
  }

  @Test
  void aNodeGoingNotReadyIsStillSeen() {
    Node before = NodeEvents.prune(Serialization.unmarshal(NODE, Node.class));
    Node after =
        Serialization.unmarshal(
            NODE.replace("\"status\":\"True\"", "\"status\":\"False\""), Node.class);

    assertThat(NodeEvents.relevant(after, before)).isTrue();
  }

  @Test
  void nodesWithoutSpecOrStatusArePrunedToo() {
    Node bare = Serialization.unmarshal("{\"metadata\":{\"name\":\"n\"}}", Node.class);

    assertThat(NodeEvents.prune(bare).getMetadata().getName()).isEqualTo("n");
    assertThat(GatewayCandidates.isReady(NodeEvents.prune(bare))).isFalse();
  }
}
