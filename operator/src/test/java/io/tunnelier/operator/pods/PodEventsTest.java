package io.tunnelier.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.tunnelier.operator.TestTunnels;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PodEventsTest {
  private static Pod pod(Map<String, String> labels, String phase, String resourceVersion) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withNamespace("scraping")
        .withLabels(labels)
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }

  @Test
  void aPodEventConcernsEveryEgressTunnelOfItsNamespace() {
    // Including Tunnels the pod does not match now: it may have just left their selection.
    assertThat(
            PodEvents.egressTunnels(
                Stream.of(
                    TestTunnels.egressWireGuard(),
                    TestTunnels.egressGre(),
                    TestTunnels.siteToSite())))
        .containsExactlyInAnyOrder(
            new ResourceID("egress-nyc", "scraping"), new ResourceID("egress-gre", "scraping"));
  }

  @Test
  void onlyALabelChangeOfARunningPodCounts() {
    Pod before = pod(Map.of("app", "scraper"), "Running", "1");
    assertThat(PodEvents.labelsChanged(pod(Map.of("app", "web"), "Running", "2"), before)).isTrue();
    assertThat(PodEvents.labelsChanged(pod(Map.of("app", "scraper"), "Running", "2"), before))
        .as("a status update of the same pod")
        .isFalse();
  }
}
