package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 1, egress through a VPS: a Tunnel from examples/ selects pods on the gateway node and on
 * a member node; their requests reach the internet host with the VPS's address as source, an
 * unselected pod's with its node's, and the Tunnel turns Ready with RTT and bytes in its status.
 * The nodes masquerade like flannel (whatever the output device) and filter reverse paths strictly
 * (rp_filter=1), as kind's nodes do: the member's traffic enters the hop with its pod IP, arrives
 * on the gateway over the hop, and its replies go back the same way. The GRE case names its VPS by
 * a DNS name, which the gateway's agent resolves.
 */
@ExtendWith(ControlPlaneExtension.class)
class EgressIT {
  static final String VPS_NAME = "vps.tunnelier.test";
  static final Path ETC_NETNS = Path.of("/etc/netns");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"egress-gre.yaml", "egress-wireguard.yaml"})
  void selectedPodsLeaveThroughTheVps(String example, ControlPlane controlPlane) throws Exception {
    Path gatewayHosts = null;
    boolean createdEtcNetns = false;
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("scraping");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var onMember = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      var unselected = cluster.runPod(ns, "node-b", "web-b", Map.of("app", "web"));

      Tunnel loaded = cluster.loadExample(example, ns);
      if (example.equals("egress-gre.yaml")) {
        // A VPS known by name (a dynamic address): the gateway's agent resolves it. The name is
        // in the node's own hosts file (ip netns exec mounts /etc/netns/<ns>/hosts over
        // /etc/hosts), under the reserved .test TLD: no query leaves the machine.
        createdEtcNetns = !Files.isDirectory(ETC_NETNS);
        gatewayHosts = ETC_NETNS.resolve(lab.node("node-a").ns().name());
        Files.createDirectories(gatewayHosts);
        Files.writeString(
            gatewayHosts.resolve("hosts"),
            "127.0.0.1 localhost\n" + ClusterLab.VPS_ADDRESS + " " + VPS_NAME + "\n");
        loaded.getSpec().getPeer().setEndpoint(VPS_NAME);
      }
      Tunnel tunnel = cluster.apply(loaded);
      String name = tunnel.getMetadata().getName();
      Scenarios.startEgress(cluster, ns, name, onGateway);
      Scenarios.await(
          cluster,
          "the member's pod leaves through the VPS (VXLAN hop to the gateway)",
          Duration.ofSeconds(60),
          () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(onMember.ns())));
      assertThat(lab.sourceSeenByWeb(unselected.ns()))
          .as("an unselected pod leaves as its node")
          .isEqualTo(lab.node("node-b").address());
      long rpDrops = lab.reversePathDrops("node-a") + lab.reversePathDrops("node-b");
      assertThat(lab.sourceSeenByWeb(onMember.ns())).isEqualTo(ClusterLab.VPS_ADDRESS);
      assertThat(lab.reversePathDrops("node-a") + lab.reversePathDrops("node-b"))
          .as("packets the nodes' strict reverse-path filters dropped during a member's request")
          .isEqualTo(rpDrops);

      Scenarios.await(
          cluster,
          "the Tunnel is Ready with RTT and bytes",
          Duration.ofSeconds(90),
          () -> {
            Tunnel t = cluster.tunnel(ns, name);
            return t.getStatus() != null
                && Scenarios.conditionTrue(t, "Ready")
                && t.getStatus().getPeer() != null
                && t.getStatus().getPeer().getRttMillis() != null
                && t.getStatus().getPeer().getTxBytes() != null
                && t.getStatus().getPeer().getTxBytes() > 0;
          });
      Tunnel ready = cluster.tunnel(ns, name);
      Condition readyCondition = Scenarios.condition(ready, "Ready");
      System.out.printf(
          "[egress %s] Ready=%s (%s); gateway %s; RTT %.2f ms; rx %d B, tx %d B; mtu %s%n%s%n",
          example,
          readyCondition.getStatus(),
          readyCondition.getReason(),
          ready.getStatus().getActiveGateway(),
          ready.getStatus().getPeer().getRttMillis(),
          ready.getStatus().getPeer().getRxBytes(),
          ready.getStatus().getPeer().getTxBytes(),
          ready.getStatus().getMtu(),
          controlPlane.kubectl("get", "tunnels", "-n", ns));
      assertThat(ready.getStatus().getActiveGateway()).isEqualTo("node-a");
      if (gatewayHosts != null) {
        // The status shows the address in use, not the name.
        assertThat(ready.getSpec().getPeer().getEndpoint()).isEqualTo(VPS_NAME);
        assertThat(
                ready.getStatus().getNodes().stream()
                    .filter(n -> n.getName().equals("node-a"))
                    .findFirst()
                    .orElseThrow()
                    .getPeerEndpoint())
            .as("raw GRE has no port: the address alone, as spec.peer.endpoint takes it")
            .isEqualTo(ClusterLab.VPS_ADDRESS);
      }
    } finally {
      if (gatewayHosts != null) {
        Files.deleteIfExists(gatewayHosts.resolve("hosts"));
        Files.deleteIfExists(gatewayHosts);
      }
      if (createdEtcNetns) {
        Files.deleteIfExists(ETC_NETNS);
      }
    }
  }
}
