package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 4, kill switch: the VPS goes away (its agent stops). The selected pods' requests fail,
 * the internet host sees nothing from the nodes' own addresses (no leak), the Tunnel turns not
 * Ready with a reason; when the VPS returns, traffic resumes and the Tunnel is Ready again.
 */
@ExtendWith(ControlPlaneExtension.class)
class KillSwitchVpsGoneIT {
  private static final int ATTEMPTS = 3;
  private static final Pattern KILL_SWITCH_COUNTER =
      Pattern.compile("counter packets (\\d+) .*kill switch");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"egress-gre.yaml", "egress-wireguard.yaml"})
  void noLeakWhileTheVpsIsGone(String example, ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      Egress egress = Egress.start(cluster, example);
      String ns = egress.namespace();
      String name = egress.name();
      var onGateway = egress.onGateway();
      var onMember = egress.onMember();

      String nodeA = lab.node("node-a").address();
      String nodeB = lab.node("node-b").address();
      long leaksBefore = lab.webRequestsFrom(nodeA) + lab.webRequestsFrom(nodeB);
      long viaVpsBefore = lab.webRequestsFrom(ClusterLab.VPS_ADDRESS);

      cluster.stopVps();
      long stopped = System.nanoTime();
      Scenarios.await(
          cluster,
          "the Tunnel turns not Ready while the VPS is gone",
          Duration.ofSeconds(90),
          () -> !Scenarios.conditionTrue(cluster.tunnel(ns, name), "Ready"));
      Tunnel down = cluster.tunnel(ns, name);
      Condition ready = Scenarios.condition(down, "Ready");
      System.out.printf(
          "[kill switch %s] VPS gone; after %.1f s: Ready=%s %s: %s%n%s",
          example,
          (System.nanoTime() - stopped) / 1e9,
          ready.getStatus(),
          ready.getReason(),
          ready.getMessage(),
          controlPlane.kubectl("get", "tunnels", "-n", ns));
      assertThat(ready.getReason()).as("Ready's reason while the VPS is gone").isNotBlank();

      for (int i = 0; i < ATTEMPTS; i++) {
        for (var pod : List.of(onGateway, onMember)) {
          assertThat(lab.sourceSeenByWeb(pod.ns()))
              .as("%s's request #%d while the VPS is gone", pod.name(), i + 1)
              .isNull();
        }
      }
      assertThat(lab.webRequestsFrom(nodeA) + lab.webRequestsFrom(nodeB))
          .as("requests the web host saw from the nodes' own addresses (leaks)")
          .isEqualTo(leaksBefore);
      assertThat(lab.webRequestsFrom(ClusterLab.VPS_ADDRESS))
          .as("requests the web host saw from the VPS while it was gone")
          .isEqualTo(viaVpsBefore);
      System.out.printf(
          "[kill switch %s] %d requests from each selected pod failed; web host saw %d from %s"
              + " and %s; kill-switch drops on node-a %s, node-b %s%n",
          example,
          ATTEMPTS,
          lab.webRequestsFrom(nodeA) + lab.webRequestsFrom(nodeB) - leaksBefore,
          nodeA,
          nodeB,
          killSwitchDrops(lab, "node-a"),
          killSwitchDrops(lab, "node-b"));

      cluster.startVps(ns, name);
      long restarted = System.nanoTime();
      for (var pod : List.of(onGateway, onMember)) {
        Scenarios.await(
            cluster,
            pod.name() + " leaves through the VPS again",
            Duration.ofSeconds(120),
            () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(pod.ns())));
      }
      double trafficBack = (System.nanoTime() - restarted) / 1e9;
      Scenarios.await(
          cluster,
          "the Tunnel is Ready again",
          Duration.ofSeconds(90),
          () -> Scenarios.conditionTrue(cluster.tunnel(ns, name), "Ready"));
      System.out.printf(
          "[kill switch %s] VPS back: traffic through it after %.1f s, Ready after %.1f s%n",
          example, trafficBack, (System.nanoTime() - restarted) / 1e9);
      assertThat(lab.webRequestsFrom(nodeA) + lab.webRequestsFrom(nodeB))
          .as("requests from the nodes' own addresses, over the whole test")
          .isEqualTo(leaksBefore);
    }
  }

  /**
   * The kill switch itself: the gateway's agent dies (SIGKILL), taking its userspace tunnel device
   * with it, so the kernel drops the tunnel's routes and the selected pods' packets fall through to
   * the node's own default route, where the kill-switch rules must drop them. When the agent is
   * back (as the DaemonSet would restart it), traffic resumes.
   */
  @Test
  void killSwitchDropsWhileTheGatewaysTunnelDeviceIsGone(ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      Egress egress = Egress.start(cluster, "egress-gre.yaml");
      String nodeA = lab.node("node-a").address();
      String nodeB = lab.node("node-b").address();
      long leaksBefore = lab.webRequestsFrom(nodeA) + lab.webRequestsFrom(nodeB);
      long dropsBefore = killSwitchDrops(lab, "node-a") + killSwitchDrops(lab, "node-b");

      cluster.killAgent("node-a");
      String links = lab.node("node-a").ns().execOk("ip", "-br", "link");
      assertThat(links).as("node-a's links once its agent is gone").doesNotContain("tnl-");
      for (int i = 0; i < ATTEMPTS; i++) {
        for (var pod : List.of(egress.onGateway(), egress.onMember())) {
          assertThat(lab.sourceSeenByWeb(pod.ns()))
              .as("%s's request #%d while the gateway has no tunnel device", pod.name(), i + 1)
              .isNull();
        }
      }
      long drops = killSwitchDrops(lab, "node-a") + killSwitchDrops(lab, "node-b");
      assertThat(lab.webRequestsFrom(nodeA) + lab.webRequestsFrom(nodeB))
          .as("requests the web host saw from the nodes' own addresses (leaks)")
          .isEqualTo(leaksBefore);
      assertThat(drops).as("packets the kill-switch rules dropped").isGreaterThan(dropsBefore);
      Condition ready =
          Scenarios.condition(cluster.tunnel(egress.namespace(), egress.name()), "Ready");
      System.out.printf(
          "[kill switch, gateway agent killed] %d requests from each selected pod failed; web host"
              + " saw 0 from the nodes; kill-switch drops %d; the Tunnel still says Ready=%s (%s):"
              + " the dead agent cannot say otherwise, until the operator counts it silent (3 min)%n",
          ATTEMPTS, drops - dropsBefore, ready.getStatus(), ready.getReason());

      cluster.startAgents();
      long restarted = System.nanoTime();
      for (var pod : List.of(egress.onGateway(), egress.onMember())) {
        Scenarios.await(
            cluster,
            pod.name() + " leaves through the VPS again",
            Duration.ofSeconds(120),
            () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(pod.ns())));
      }
      System.out.printf(
          "[kill switch, gateway agent killed] agent back: traffic through the VPS after %.1f s%n",
          (System.nanoTime() - restarted) / 1e9);
    }
  }

  /** An egress Tunnel from examples/ with a selected pod on the gateway and one on a member. */
  private record Egress(
      String namespace, String name, ClusterLab.LabPod onGateway, ClusterLab.LabPod onMember) {
    static Egress start(TunnelierCluster cluster, String example) {
      ClusterLab lab = cluster.lab();
      String ns = cluster.namespace("scraping");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var onMember = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      String name = cluster.applyExample(example, ns).getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);
      for (var pod : List.of(onGateway, onMember)) {
        Scenarios.await(
            cluster,
            pod.name() + " leaves through the VPS",
            Duration.ofSeconds(120),
            () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(pod.ns())));
      }
      Scenarios.await(
          cluster,
          "the Tunnel is Ready",
          Duration.ofSeconds(90),
          () -> Scenarios.conditionTrue(cluster.tunnel(ns, name), "Ready"));
      return new Egress(ns, name, onGateway, onMember);
    }
  }

  /** The packets the kill-switch rules dropped on a node (sum of their counters), for the log. */
  private static long killSwitchDrops(ClusterLab lab, String node) {
    String table = lab.node(node).ns().exec("nft", "list", "table", "inet", "tunnelier").stdout();
    long drops = 0;
    for (String line : table.split("\n")) {
      Matcher m = KILL_SWITCH_COUNTER.matcher(line);
      if (m.find()) {
        drops += Long.parseLong(m.group(1));
      }
    }
    return drops;
  }
}
