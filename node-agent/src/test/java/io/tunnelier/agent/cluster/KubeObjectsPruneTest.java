package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.informers.PruningItemStore;
import org.junit.jupiter.api.Test;

/** The informers' stores keep what the planner reads of a Pod or Node, and nothing more. */
class KubeObjectsPruneTest {
  /** A pod as the API server sends it: managedFields, containers, volumes, a deletion pending. */
  static final String POD =
      """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"scraper-1","namespace":"scraping",
       "uid":"0c6a1b3e","resourceVersion":"4711","labels":{"app":"scraper","tier":"batch"},
       "annotations":{"note":"x"},"deletionTimestamp":"2026-12-05T00:00:30Z",
       "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"scraper-abc",
         "uid":"r1","controller":true}],
       "managedFields":[{"manager":"kubelet","operation":"Update","apiVersion":"v1",
         "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:podIP":{}}}}]},
      "spec":{"nodeName":"node-b","hostNetwork":false,"containers":[{"name":"scraper",
         "image":"scraper:1","ports":[{"containerPort":8080}],"env":[{"name":"A","value":"b"}]}],
       "volumes":[{"name":"token","projected":{"sources":[{"serviceAccountToken":{"path":"t"}}]}}]},
      "status":{"phase":"Running","podIP":"100.64.2.7",
       "podIPs":[{"ip":"100.64.2.7"},{"ip":"fd00:64:2::7"}],"hostIP":"192.0.2.12",
       "containerStatuses":[{"name":"scraper","ready":true,"restartCount":0,"image":"scraper:1",
         "imageID":"x","state":{"running":{"startedAt":"2026-12-05T00:00:00Z"}}}]}}
      """;

  static final String NODE =
      """
      {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-b","uid":"n1",
       "resourceVersion":"815","labels":{"kubernetes.io/hostname":"node-b"}},
      "spec":{"podCIDR":"100.64.2.0/24","podCIDRs":["100.64.2.0/24","fd00:64:2::/64"],
       "taints":[{"key":"k","effect":"NoSchedule"}]},
      "status":{"addresses":[{"type":"InternalIP","address":"192.0.2.12"},
         {"type":"InternalIP","address":"2001:db8:0:1::12"},{"type":"Hostname","address":"node-b"}],
       "capacity":{"cpu":"2"},"conditions":[{"type":"Ready","status":"True",
         "lastHeartbeatTime":"2026-12-05T00:00:00Z"}],
       "images":[{"names":["registry.example/scraper:1"],"sizeBytes":1}],
       "nodeInfo":{"kubeletVersion":"v1.36.3"}}}
      """;

  @Test
  void aPrunedPodReadsAsTheFullOne() {
    Pod full = Serialization.unmarshal(POD, Pod.class);

    Pod pruned = KubeObjects.prunePod(full);

    assertThat(KubeObjects.pod(pruned)).isEqualTo(KubeObjects.pod(full));
    assertThat(KubeObjects.pod(pruned).terminating()).isTrue();
    assertThat(KubeObjects.pod(pruned).ipv6()).containsExactly("fd00:64:2::7");
    assertThat(pruned.getMetadata().getResourceVersion()).isEqualTo("4711");
    assertThat(pruned.getMetadata().getManagedFields()).isEmpty();
    assertThat(pruned.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(pruned.getSpec().getContainers()).isEmpty();
    assertThat(pruned.getSpec().getVolumes()).isEmpty();
    assertThat(pruned.getStatus().getContainerStatuses()).isEmpty();
    assertThat(Serialization.asJson(pruned).length())
        .as("what the store keeps")
        .isLessThan(Serialization.asJson(full).length() / 2);
    assertThat(full.getSpec().getContainers()).as("the informer's object is left alone").hasSize(1);
  }

  @Test
  void aPrunedNodeReadsAsTheFullOne() {
    Node full = Serialization.unmarshal(NODE, Node.class);

    Node pruned = KubeObjects.pruneNode(full);

    assertThat(KubeObjects.node(pruned)).isEqualTo(KubeObjects.node(full));
    assertThat(KubeObjects.node(pruned).internalIp6()).isEqualTo("2001:db8:0:1::12");
    assertThat(pruned.getMetadata().getResourceVersion()).isEqualTo("815");
    assertThat(pruned.getStatus().getImages()).isEmpty();
    assertThat(pruned.getStatus().getConditions()).isEmpty();
    assertThat(pruned.getSpec().getTaints()).isEmpty();
  }

  @Test
  void objectsWithoutSpecOrStatusArePrunedToo() {
    Pod bare =
        new PodBuilder().withNewMetadata().withName("p").withNamespace("n").endMetadata().build();
    Node bareNode =
        new io.fabric8.kubernetes.api.model.NodeBuilder()
            .withNewMetadata()
            .withName("n")
            .endMetadata()
            .build();

    assertThat(KubeObjects.pod(KubeObjects.prunePod(bare))).isEqualTo(KubeObjects.pod(bare));
    assertThat(KubeObjects.node(KubeObjects.pruneNode(bareNode)))
        .isEqualTo(KubeObjects.node(bareNode));
  }

  @Test
  void theStoreKeepsThePrunedCopyUnderTheNamespacedKey() {
    PruningItemStore<Pod> store = new PruningItemStore<>(KubeObjects::prunePod);
    Pod full = Serialization.unmarshal(POD, Pod.class);

    store.put(store.getKey(full), full);

    assertThat(store.get("scraping/scraper-1").getSpec().getContainers()).isEmpty();
    assertThat(store.get("scraping/scraper-1").getStatus().getPodIP()).isEqualTo("100.64.2.7");
  }
}
