package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.tunnelier.agent.plan.PodInfo;
import org.junit.jupiter.api.Test;

/** A dual-stack pod: its IPv4 address for the rules, its IPv6 ones for the kill switch. */
class KubeObjectsTest {
  static Pod pod(String podIp, String... podIps) {
    Pod p =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("scraping")
            .withName("scraper")
            .endMetadata()
            .withNewSpec()
            .withNodeName("node-b")
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .withPodIP(podIp)
            .endStatus()
            .build();
    p.getStatus()
        .setPodIPs(
            java.util.Arrays.stream(podIps)
                .map(ip -> new io.fabric8.kubernetes.api.model.PodIP(ip))
                .toList());
    return p;
  }

  @Test
  void dualStackPodKeepsBothFamilies() {
    PodInfo p = KubeObjects.pod(pod("100.64.2.7", "100.64.2.7", "FD00:64:2:0:0:0:0:7"));
    assertThat(p.ip()).isEqualTo("100.64.2.7");
    assertThat(p.ipv6()).containsExactly("fd00:64:2::7");
  }

  @Test
  void ipv6PrimaryPodHasBothFamiliesToo() {
    PodInfo p = KubeObjects.pod(pod("fd00:64:2::7", "fd00:64:2::7", "100.64.2.7"));
    assertThat(p.ip()).isEqualTo("100.64.2.7");
    assertThat(p.ipv6()).containsExactly("fd00:64:2::7");
  }

  @Test
  void ipv6OnlyPodHasNoIpv4() {
    PodInfo p = KubeObjects.pod(pod("fd00:64:2::7", "fd00:64:2::7"));
    assertThat(p.ip()).isNull();
    assertThat(p.ipv6()).containsExactly("fd00:64:2::7");
  }

  @Test
  void ipv4OnlyPodHasNoIpv6() {
    assertThat(KubeObjects.pod(pod("100.64.2.7", "100.64.2.7")).ipv6()).isEmpty();
  }
}
