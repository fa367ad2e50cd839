package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 3, through NAT: the cluster sits behind an edge router that masquerades it like most
 * real NAT routers do ({@link ClusterLab#natLikeMostRouters}): only TCP, UDP and ICMP, with source
 * ports of its own choosing. GRE-in-UDP and WireGuard work through it (the VPS learns the cluster's
 * translated address and port from the first valid packet); raw GRE cannot, and the Tunnel's status
 * says so and what to use instead.
 */
@ExtendWith(ControlPlaneExtension.class)
class ThroughNatIT {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"egress-gre-over-udp.yaml", "egress-wireguard.yaml"})
  void udpEncapsulationsPassTheNat(String example, ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, true).natLikeMostRouters();
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("scraping");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var onMember = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      var unselected = cluster.runPod(ns, "node-b", "web-b", Map.of("app", "web"));

      Tunnel tunnel = cluster.loadExample(example, ns);
      List<String> destinations = tunnel.getSpec().getEgress().getDestinations();
      if (destinations != null && !destinations.contains("0.0.0.0/0")) {
        // egress-gre-over-udp.yaml sends only 198.51.100.0/24 through the VPS; the lab's internet
        // host is 203.0.113.80, so the test adds that one address to the example's destinations.
        List<String> widened = new ArrayList<>(destinations);
        widened.add(ClusterLab.WEB_ADDRESS + "/32");
        tunnel.getSpec().getEgress().setDestinations(widened);
        System.out.printf(
            "[nat %s] destinations %s -> %s (the lab's web host is %s)%n",
            example, destinations, widened, ClusterLab.WEB_ADDRESS);
      }
      String name = cluster.apply(tunnel).getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);

      Scenarios.await(
          cluster,
          "the gateway's pod leaves through the VPS, through the NAT",
          Duration.ofSeconds(120),
          () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(onGateway.ns())));
      Scenarios.await(
          cluster,
          "the member's pod leaves through the VPS, through the NAT",
          Duration.ofSeconds(60),
          () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(onMember.ns())));
      assertThat(lab.sourceSeenByWeb(unselected.ns()))
          .as("an unselected pod leaves as the NAT router's public address")
          .isEqualTo(lab.edgePublicAddress());
      Scenarios.await(
          cluster,
          "the Tunnel is Ready",
          Duration.ofSeconds(90),
          () -> Scenarios.conditionTrue(cluster.tunnel(ns, name), "Ready"));

      // The tunnel's own packets crossed the NAT: the edge tracks them as a translated UDP flow.
      int port = Integer.parseInt(tunnel.getSpec().getPeer().getEndpoint().split(":")[1]);
      String flow = tunnelFlow(lab, port);
      assertThat(flow)
          .as("the edge's conntrack entry for the tunnel (UDP to the VPS port %d)", port)
          .contains("src=" + lab.node("node-a").address())
          .contains("dst=" + lab.edgePublicAddress());
      Tunnel ready = cluster.tunnel(ns, name);
      System.out.printf(
          "[nat %s] Ready (%s); peer %s; RTT %s ms; NAT flow: %s%n%s",
          example,
          Scenarios.condition(ready, "Ready").getReason(),
          ready.getStatus().getPeer() == null ? null : ready.getStatus().getPeer().getEndpoint(),
          ready.getStatus().getPeer() == null ? null : ready.getStatus().getPeer().getRttMillis(),
          flow,
          controlPlane.kubectl("get", "tunnels", "-n", ns));
    }
  }

  @Test
  void rawGreIsReportedNotReachable(ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, true).natLikeMostRouters();
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("scraping");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var unselected = cluster.runPod(ns, "node-b", "web-b", Map.of("app", "web"));

      String name = cluster.applyExample("egress-gre.yaml", ns).getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);

      Scenarios.await(
          cluster,
          "the Tunnel says the peer is not reachable",
          Duration.ofSeconds(120),
          () -> {
            Condition ready = Scenarios.condition(cluster.tunnel(ns, name), "Ready");
            return ready != null
                && "False".equals(ready.getStatus())
                && "PeerUnreachable".equals(ready.getReason());
          });
      Tunnel broken = cluster.tunnel(ns, name);
      Condition ready = Scenarios.condition(broken, "Ready");
      System.out.printf(
          "[nat egress-gre.yaml] Ready=%s %s: %s%n%s",
          ready.getStatus(),
          ready.getReason(),
          ready.getMessage(),
          controlPlane.kubectl("get", "tunnels", "-n", ns));
      assertThat(ready.getMessage())
          .as("the message names the cause and the way out")
          .contains("Raw GRE (IP protocol 47) does not pass most NAT routers")
          .contains("GREoverUDP or WireGuard");
      assertThat(Scenarios.conditionTrue(broken, "Degraded")).as("Degraded").isTrue();

      // Not silently broken, and not leaking either: the selected pod's request goes into the
      // tunnel, whose GRE packets the NAT drops; it never leaves by the node's own route.
      long fromEdgeBefore = lab.webRequestsFrom(lab.edgePublicAddress());
      assertThat(lab.sourceSeenByWeb(onGateway.ns())).as("the selected pod's request").isNull();
      assertThat(lab.webRequestsFrom(lab.edgePublicAddress()))
          .as("requests the web host saw from the NAT's address (the selected pod leaking)")
          .isEqualTo(fromEdgeBefore);
      assertThat(lab.sourceSeenByWeb(unselected.ns()))
          .as("an unselected pod leaves as the NAT router's public address")
          .isEqualTo(lab.edgePublicAddress());
      System.out.printf(
          "[nat egress-gre.yaml] edge dropped (what the NAT cannot translate):%n%s%n",
          lab.edge().execOk("nft", "list", "table", "ip", "lab_nat"));
    }
  }

  /** The edge's conntrack entry of the tunnel's UDP flow to the VPS, or "" if there is none. */
  private static String tunnelFlow(ClusterLab lab, int port) {
    Exec.Result result =
        lab.edge()
            .exec(
                "conntrack",
                "-L",
                "-p",
                "udp",
                "--orig-dst",
                ClusterLab.VPS_ADDRESS,
                "--dport",
                String.valueOf(port));
    return result.stdout().strip();
  }
}
