package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An API server outage as the nodes see it: a WireGuard egress Tunnel carries both selected pods'
 * new connections through the VPS; then every node loses the API server (its port rejected inside
 * the node, established watches reset) for four of the agents' resyncs. The agents work from what
 * they last read, the key Secret included: the tunnel device is not re-created, each request is
 * answered through the VPS, none leaves as its node; once the API server is back the gateway's
 * agent renews its heartbeat Lease again and the Tunnel is Ready.
 */
@ExtendWith(ControlPlaneExtension.class)
class ApiOutageIT {
  private static final Duration OUTAGE = Duration.ofSeconds(20); // the lab agents resync every 5 s

  @Test
  void theTunnelCarriesTrafficThroughAnApiServerOutage(ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("outage");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var onMember = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      Tunnel tunnel = cluster.applyExample("egress-wireguard.yaml", ns);
      String name = tunnel.getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);
      for (var pod : List.of(onGateway, onMember)) {
        Scenarios.await(
            cluster,
            pod.name() + " leaves through the VPS",
            Duration.ofSeconds(120),
            () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(pod.ns())));
      }
      Netns gateway = lab.node("node-a").ns();
      String deviceBefore = tunnelDevice(gateway);

      List<RequestLoop> loops =
          List.of(
              new RequestLoop(onGateway.ns(), OUTAGE.plusSeconds(40), 600),
              new RequestLoop(onMember.ns(), OUTAGE.plusSeconds(40), 600));
      Instant outageStart;
      Instant outageEnd;
      try {
        sleep(Duration.ofSeconds(2));
        outageStart = Instant.now();
        for (String node : List.of("node-a", "node-b")) {
          cutApiServer(lab.node(node).ns());
        }
        sleep(OUTAGE);
        outageEnd = Instant.now();
        String rejected = gateway.execOk("nft", "list", "table", "inet", "apioutage");
        System.out.printf("[api outage] on node-a: %s%n", rejected.replaceAll("\\s+", " "));
        assertThat(rejected)
            .as("the gateway's agent tried the API server during the outage and was refused")
            .containsPattern("packets [1-9]");
      } finally {
        for (String node : List.of("node-a", "node-b")) {
          lab.node(node).ns().exec("nft", "delete", "table", "inet", "apioutage");
        }
      }
      String deviceDuring = tunnelDevice(gateway);
      // The agent says it is alive with its heartbeat Lease (renewed every second on gateway
      // duty); its status.nodes[] entry is rewritten only when something in it changed.
      Scenarios.await(
          cluster,
          "the gateway's agent renews its heartbeat Lease again after the outage",
          Duration.ofSeconds(60),
          () ->
              Scenarios.heartbeatLease(cluster, "node-a")
                  .getSpec()
                  .getRenewTime()
                  .toInstant()
                  .isAfter(outageEnd));
      Scenarios.await(
          cluster,
          name + " is Ready after the outage, with the gateway's entry",
          Duration.ofSeconds(60),
          () -> {
            Tunnel t = cluster.tunnel(ns, name);
            return Scenarios.conditionTrue(t, "Ready") && Scenarios.entry(t, "node-a") != null;
          });
      loops.forEach(RequestLoop::close);

      for (int i = 0; i < loops.size(); i++) {
        RequestLoop loop = loops.get(i);
        var pod = i == 0 ? onGateway : onMember;
        System.out.printf(
            "[api outage] %s, requests during the %d s outage: %s%n",
            pod.name(), OUTAGE.toSeconds(), loop.summary(outageStart, outageEnd));
        List<RequestLoop.Sample> during =
            loop.samples().stream()
                .filter(s -> !s.start().isBefore(outageStart) && s.end().isBefore(outageEnd))
                .toList();
        assertThat(during).as("requests during the outage").hasSizeGreaterThan(10);
        assertThat(loop.samples())
            .as("requests answered by anyone but the VPS (a leak)")
            .allMatch(s -> s.source() == null || s.source().equals(ClusterLab.VPS_ADDRESS));
        // A request may time out on a loaded machine; a torn-down tunnel fails them all.
        assertThat(during.stream().filter(s -> ClusterLab.VPS_ADDRESS.equals(s.source())).count())
            .as("requests answered through the VPS during the outage")
            .isGreaterThanOrEqualTo(during.size() * 9L / 10);
      }
      System.out.printf(
          "[api outage] gateway's tunnel device before/after: %s / %s%n",
          deviceBefore, deviceDuring);
      assertThat(deviceDuring)
          .as("the tunnel device (name and ifindex) is the same: not re-created")
          .isEqualTo(deviceBefore);
    }
  }

  /** Inside the node: new and established connections to the API server's port are reset. */
  private static void cutApiServer(Netns node) {
    node.execOk("nft", "add", "table", "inet", "apioutage");
    node.execOk(
        "nft",
        "add chain inet apioutage out { type filter hook output priority 0 ; policy accept ; }");
    node.execOk("nft", "add rule inet apioutage out tcp dport 6443 counter reject with tcp reset");
  }

  /** The tunnel device's index and name ({@code 7: tnl-1a2b3c4d}). */
  private static String tunnelDevice(Netns gateway) {
    return gateway
        .execOk("ip", "-o", "link", "show")
        .lines()
        .filter(l -> l.contains(": tnl-"))
        .map(l -> l.split("[:@]")[0] + ":" + l.split("[:@]")[1])
        .findFirst()
        .orElseThrow();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
