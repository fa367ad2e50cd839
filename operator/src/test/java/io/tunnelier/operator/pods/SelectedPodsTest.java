package io.tunnelier.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.TestTunnels;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SelectedPodsTest {
  private static Pod pod(String namespace, String phase, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p-" + Math.abs((namespace + phase + labels).hashCode()))
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }

  private static final Map<String, String> SCRAPER = Map.of("app", "scraper");

  static Stream<Arguments> cases() {
    // TestTunnels.egressWireGuard: namespace scraping, podSelector {app: scraper}.
    Tunnel egress = TestTunnels.egressWireGuard();
    return Stream.of(
        Arguments.of("no pods", egress, List.of(), 0),
        Arguments.of(
            "Running and selected",
            egress,
            List.of(
                pod("scraping", "Running", SCRAPER),
                pod("scraping", "Running", Map.of("app", "scraper", "v", "2"))),
            2),
        Arguments.of(
            "other labels do not count",
            egress,
            List.of(
                pod("scraping", "Running", Map.of("app", "web")), pod("scraping", "Running", null)),
            0),
        Arguments.of(
            "only Running pods count",
            egress,
            List.of(
                pod("scraping", "Pending", SCRAPER),
                pod("scraping", "Succeeded", SCRAPER),
                pod("scraping", "Failed", SCRAPER),
                pod("scraping", "Running", SCRAPER)),
            1),
        Arguments.of(
            "pods of another namespace never count",
            egress,
            List.of(pod("default", "Running", SCRAPER)),
            0),
        Arguments.of(
            "SiteToSite selects no pods: no count",
            TestTunnels.siteToSite(),
            List.of(pod("net", "Running", SCRAPER)),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void count(String name, Tunnel tunnel, List<Pod> pods, Integer expected) {
    assertThat(SelectedPods.count(tunnel, pods.stream())).isEqualTo(expected);
  }
}
