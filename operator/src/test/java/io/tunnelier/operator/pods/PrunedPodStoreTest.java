package io.tunnelier.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class PrunedPodStoreTest {
  private static final Pod POD =
      Serialization.unmarshal(
          """
          apiVersion: v1
          kind: Pod
          metadata:
            name: scraper-1
            namespace: scraping
            uid: 1234
            resourceVersion: "42"
            labels: {app: scraper}
            annotations: {big: "a large annotation the operator never reads"}
            managedFields: [{manager: kubelet, operation: Update}]
          spec:
            nodeName: node-a
            containers: [{name: c, image: scraper:1, env: [{name: TOKEN, value: secret}]}]
          status:
            phase: Running
            podIP: 10.244.1.5
            conditions: [{type: Ready, status: "True"}]
          """,
          Pod.class);

  @Test
  void keepsOnlyWhatCountingAndTheInformerNeed() {
    assertThat(Serialization.asJson(PrunedPodStore.prune(POD)))
        .isEqualTo(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"labels\":{\"app\":\"scraper\"},"
                + "\"name\":\"scraper-1\",\"namespace\":\"scraping\",\"resourceVersion\":\"42\","
                + "\"uid\":\"1234\"},\"status\":{\"phase\":\"Running\"}}");
  }

  @Test
  void theStoreHoldsThePrunedPodUnderItsNamespacedKey() {
    var store = PrunedPodStore.create();
    store.put(store.getKey(POD), POD);
    assertThat(store.get("scraping/scraper-1").getSpec()).isNull();
    assertThat(store.get("scraping/scraper-1").getMetadata().getLabels())
        .containsEntry("app", "scraper");
    assertThat(POD.getSpec()).as("the informer's object is left alone").isNotNull();
  }
}
