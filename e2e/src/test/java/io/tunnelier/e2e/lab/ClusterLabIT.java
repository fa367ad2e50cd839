package io.tunnelier.e2e.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Exec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lab's world before any tunnel: pods reach the internet as their node, or as the NAT. */
class ClusterLabIT {
  @Test
  void podsReachTheInternetAsTheirNodeAndEachOtherByPodIp() {
    String prefix;
    try (ClusterLab cluster = ClusterLab.create(2, false)) {
      prefix = cluster.lab().prefix();
      var a1 = cluster.addPod("node-a", "pod-a1", Map.of("app", "scraper"));
      var b1 = cluster.addPod("node-b", "pod-b1", Map.of("app", "scraper"));

      assertThat(cluster.sourceSeenByWeb(a1.ns())).isEqualTo("192.0.2.11");
      assertThat(cluster.sourceSeenByWeb(b1.ns())).isEqualTo("192.0.2.12");
      assertThat(cluster.sourceSeenByWeb(cluster.vps())).isEqualTo(ClusterLab.VPS_ADDRESS);
      assertThat(a1.ns().exec("ping", "-c", "1", "-W", "2", b1.ip()).exitCode())
          .as("pod-to-pod across nodes by pod IP")
          .isZero();
      assertThat(a1.ns().exec("ping", "-c", "1", "-W", "2", ClusterLab.VPS_ADDRESS).exitCode())
          .isZero();
    }
    assertThat(Exec.run(Duration.ofSeconds(5), List.of("ip", "netns", "list")).stdout())
        .doesNotContain(prefix);
  }

  @Test
  void behindNatTheInternetSeesTheEdgeRouter() {
    try (ClusterLab cluster = ClusterLab.create(1, true)) {
      var a1 = cluster.addPod("node-a", "pod-a1", Map.of());
      assertThat(cluster.sourceSeenByWeb(a1.ns())).isEqualTo(ClusterLab.EDGE_PUBLIC_ADDRESS);
      assertThat(cluster.sourceSeenByWeb(cluster.node("node-a").ns()))
          .isEqualTo(ClusterLab.EDGE_PUBLIC_ADDRESS);
      // Nothing from the internet reaches the nodes' private addresses behind the NAT.
      assertThat(cluster.web().exec("ping", "-c", "1", "-W", "1", "192.0.2.11").exitCode())
          .isNotZero();
    }
  }

  @Test
  void aSecondSiteSharesTheInternetButNotThePodNetwork() {
    try (ClusterLab a = ClusterLab.create(1, false)) {
      ClusterLab b = ClusterLab.secondSite(a, 2, false);
      var podA = a.addPod("node-a", "pod-a1", Map.of());
      var podB = b.addPod("node-b", "pod-b1", Map.of());
      assertThat(podB.ip()).startsWith("100.65.12.");
      assertThat(b.sourceSeenByWeb(podB.ns())).isEqualTo("203.0.113.140");
      assertThat(a.sourceSeenByWeb(podA.ns())).isEqualTo("192.0.2.11");
      assertThat(b.node("node-a").ns().exec("ping", "-c", "1", "-W", "1", "192.0.2.11").exitCode())
          .as("nodes of both sites reach each other over the internet (no NAT)")
          .isZero();
      assertThat(podA.ns().exec("ping", "-c", "1", "-W", "1", podB.ip()).exitCode())
          .as("without a tunnel, pod networks do not reach each other")
          .isNotZero();
    }
  }
}
