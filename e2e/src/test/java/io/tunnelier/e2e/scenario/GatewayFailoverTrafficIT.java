package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Scenario 6, gateway failover with traffic: two gateway candidates (node-a, node-b) and a member
 * (node-c), each with a selected pod. While the member's pod sends requests to the web host, the
 * active gateway's agent is killed (SIGKILL: its userspace datapath dies with it). With GRE its
 * Node is also marked NotReady, as a node failure looks once the node controller has waited; with
 * WireGuard the Node stays Ready, as during the first ~50 s of a node failure or for a crashed
 * agent, and the agent's stopped heartbeat Lease is what the operator acts on. The operator moves
 * the gateway to the standby, the member re-points its VXLAN hop, the VPS learns the new gateway
 * from its first packets, and the web host sees the VPS again. The time from the kill to the first
 * answered request, the answers around it, the status before and after and the Events are printed.
 * The failed gateway's own pod must not leak out of its node's default route (its kill switch stays
 * in the kernel). Two long-lived TCP flows from the member's pod cross the failover: one whose
 * client also talks must go on, every value in order; one that only receives is reported (it
 * stalls: docs/how-it-works.md says why).
 */
@ExtendWith(ControlPlaneExtension.class)
class GatewayFailoverTrafficIT {
  private static final int FLOW_PORT = 9000;
  private static final int FLOW_LINES = 300; // one every 100 ms: 30 s

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"egress-gre.yaml, node-not-ready", "egress-wireguard.yaml, heartbeat"})
  void trafficResumesThroughTheStandby(String example, String mode, ControlPlane controlPlane) {
    String tag = "[failover " + example + " " + mode + "]";
    boolean heartbeatOnly = mode.equals("heartbeat");
    try (ClusterLab lab = ClusterLab.create(3, false);
        TunnelierCluster cluster =
            TunnelierCluster.install(controlPlane, lab, List.of("node-a", "node-b"))) {
      String ns = cluster.namespace("failover");
      Map<String, ClusterLab.LabPod> pods =
          Map.of(
              "node-a", cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper")),
              "node-b", cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper")),
              "node-c", cluster.runPod(ns, "node-c", "scraper-c", Map.of("app", "scraper")));
      Tunnel tunnel = cluster.applyExample(example, ns);
      String name = tunnel.getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);

      for (var pod : pods.values()) {
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
      Tunnel before = cluster.tunnel(ns, name);
      String active = before.getStatus().getActiveGateway();
      assertThat(active).isIn("node-a", "node-b");
      String standby = active.equals("node-a") ? "node-b" : "node-a";
      assertThat(before.getStatus().getStandbyGateways()).containsExactly(standby);
      ClusterLab.LabPod member = pods.get("node-c");

      // Two long-lived TCP flows from the member's pod, one that only receives and one whose
      // client also talks: which of them go on through the new gateway.
      lab.web()
          .spawn(
              cluster.log("counter-server").toFile(),
              "/usr/bin/python3",
              lab.script("counter_server.py").toString(),
              ClusterLab.WEB_ADDRESS,
              String.valueOf(FLOW_PORT),
              String.valueOf(FLOW_LINES),
              "100",
              "200");
      Scenarios.await(
          cluster,
          "the counter service listens",
          Duration.ofSeconds(15),
          () -> lab.web().exec("ss", "-Hltn", "sport = :" + FLOW_PORT).stdout().contains(":"));
      Map<String, CounterFlow> flows = new java.util.LinkedHashMap<>();
      for (String kind : List.of("receiving", "talking")) {
        java.nio.file.Path out = cluster.log("flow-" + kind);
        List<String> command =
            new java.util.ArrayList<>(
                List.of(
                    "/usr/bin/python3",
                    lab.script("counter_client.py").toString(),
                    ClusterLab.WEB_ADDRESS,
                    String.valueOf(FLOW_PORT),
                    "150"));
        if (kind.equals("talking")) {
          command.add("200");
        }
        member.ns().spawn(out.toFile(), command.toArray(String[]::new));
        flows.put(kind, new CounterFlow(member, out));
      }
      for (var f : flows.entrySet()) {
        Scenarios.await(
            cluster,
            "the " + f.getKey() + " flow carries counter values",
            Duration.ofSeconds(30),
            () -> f.getValue().read().seqs().size() >= 20);
      }

      try (RequestLoop requests = new RequestLoop(member.ns(), Duration.ofSeconds(240), 2000)) {
        Scenarios.await(
            cluster,
            "the member's request loop is answered through the VPS",
            Duration.ofSeconds(30),
            () -> requests.countAnswered(ClusterLab.VPS_ADDRESS) >= 3);

        Instant kill = Instant.now();
        cluster.killAgent(active);
        if (!heartbeatOnly) {
          cluster.kubelet().setReady(active, false);
        }
        Instant notReady = Instant.now();
        if (heartbeatOnly) {
          Scenarios.await(
              cluster,
              "the operator moves the gateway while " + active + " is still Ready",
              Duration.ofSeconds(60),
              () -> standby.equals(cluster.tunnel(ns, name).getStatus().getActiveGateway()));
          System.out.printf(
              tag + " the gateway moved to %s %d ms after the kill (Node %s still Ready)%n",
              standby,
              Duration.between(kill, Instant.now()).toMillis(),
              active);
        }

        Scenarios.await(
            cluster,
            "the member's requests reach the web host through the VPS again",
            Duration.ofSeconds(180),
            () -> requests.firstAnsweredAfter(notReady, ClusterLab.VPS_ADDRESS).isPresent());
        RequestLoop.Sample first =
            requests.firstAnsweredAfter(notReady, ClusterLab.VPS_ADDRESS).orElseThrow();
        Instant lastBefore =
            requests
                .lastAnsweredBefore(kill, ClusterLab.VPS_ADDRESS)
                .map(RequestLoop.Sample::end)
                .orElse(kill);
        Tunnel after = cluster.tunnel(ns, name);
        System.out.printf(
            tag
                + " killed the agent on %s (and marked it NotReady: "
                + !heartbeatOnly
                + ") at %s (%d ms for both);"
                + " first request answered through the VPS after it: started %d ms, ended %d ms"
                + " after the kill; traffic gap (last answer before, first after) %d ms%n"
                + tag
                + " answers from the kill on: %s%n"
                + tag
                + " activeGateway %s -> %s, standbyGateways %s -> %s%n",
            active,
            kill,
            Duration.between(kill, notReady).toMillis(),
            Duration.between(kill, first.start()).toMillis(),
            Duration.between(kill, first.end()).toMillis(),
            Duration.between(lastBefore, first.end()).toMillis(),
            requests.summary(kill, first.end()),
            active,
            after.getStatus().getActiveGateway(),
            before.getStatus().getStandbyGateways(),
            after.getStatus().getStandbyGateways());
        assertThat(after.getStatus().getActiveGateway()).isEqualTo(standby);
        if (heartbeatOnly) {
          assertThat(Scenarios.events(cluster, ns, name))
              .anyMatch(
                  e ->
                      e.contains("GatewayFailover")
                          && e.contains(
                              "the agent on " + active + " has not renewed its heartbeat Lease"));
        }
      }

      // The flows: every value in order through the new gateway, or stuck (reported).
      for (var f : flows.entrySet()) {
        try {
          Scenarios.await(
              cluster,
              "the " + f.getKey() + " flow ends",
              Duration.ofSeconds(120),
              () -> f.getValue().read().end() != null);
        } catch (AssertionError e) {
          // reported below: a flow that neither goes on nor ends is stuck
        }
        CounterFlow.Transcript log = f.getValue().read();
        System.out.printf(
            tag
                + " %s TCP flow from %s: %d of %d counter values, complete and in order: %s,"
                + " largest gap %d ms, end: %s%n",
            f.getKey(),
            member.name(),
            log.seqs().size(),
            FLOW_LINES,
            log.complete(),
            log.largestGapMillis(),
            log.end() == null ? "(stuck)" : log.end());
        if (f.getKey().equals("talking")) {
          // The client's next segment through the new gateway makes it pick the flow up: the
          // same source port to the same inner address, so the VPS's own NAT entry still fits.
          // A flow that only receives has nothing of the pod's to pick up (docs/how-it-works.md).
          assertThat(log.end()).as("the talking flow ended cleanly").isEqualTo("END eof");
          assertThat(log.seqs()).as("every value through the new gateway").hasSize(FLOW_LINES);
          assertThat(log.complete()).isTrue();
        }
      }

      // The new gateway's own pod leaves through the VPS too.
      Scenarios.await(
          cluster,
          "the new gateway's pod leaves through the VPS",
          Duration.ofSeconds(60),
          () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(pods.get(standby).ns())));
      Scenarios.await(
          cluster,
          "the Tunnel is Ready through " + standby,
          Duration.ofSeconds(90),
          () -> {
            Tunnel t = cluster.tunnel(ns, name);
            return standby.equals(t.getStatus().getActiveGateway())
                && Scenarios.conditionTrue(t, "Ready");
          });

      // The failed node: its agent is dead, its TUN device went with the process, its rules and
      // nftables table stayed. Its pod's traffic falls through to the node's default route and
      // meets the kill switch: dropped, never seen by the web host as the node's address.
      ClusterLab.LabPod stranded = pods.get(active);
      for (int i = 0; i < 3; i++) {
        String seen = lab.sourceSeenByWeb(stranded.ns());
        assertThat(seen)
            .as("the failed gateway's pod does not leak through its node's default route")
            .isNotEqualTo(lab.node(active).address());
        System.out.printf(
            tag + " %s on the failed %s: web host sees %s%n", stranded.name(), active, seen);
      }
      var failedNode = lab.node(active).ns();
      System.out.printf(
          tag + " %s after the kill: links %s%n  rules %s%n  kill switch: %s%n",
          active,
          failedNode.execOk("ip", "-br", "link").lines().filter(l -> l.startsWith("tnl")).toList(),
          failedNode.execOk("ip", "rule").lines().filter(l -> l.startsWith("101")).toList(),
          failedNode
              .execOk("nft", "list", "chain", "inet", "tunnelier", "forward")
              .lines()
              .filter(l -> l.contains("kill switch"))
              .map(String::strip)
              .toList());
      Tunnel ready = cluster.tunnel(ns, name);
      System.out.printf(
          tag + " Events:%n  %s%n" + tag + " status after:%n%s%n",
          String.join("\n  ", Scenarios.events(cluster, ns, name)),
          Scenarios.statusYaml(ready));
    }
  }
}
