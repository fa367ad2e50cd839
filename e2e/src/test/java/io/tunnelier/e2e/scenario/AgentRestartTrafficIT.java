package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 8, agent restart: established TCP flows from selected pods (one on the gateway, one on a
 * member) to a counter service on the internet host survive a restart of the gateway's agent
 * (SIGKILL, then the same command again, as the kubelet restarts a crashed container).
 *
 * <p>The userspace datapath's TUN device lives in the agent's process, so the tunnel stops until
 * the new process opens it again: packets meanwhile find no route into the tunnel and are dropped
 * by the kill switch (never reset, never leaked). The new agent re-adopts the rules and the
 * nftables table (same fingerprint: not rewritten, so the SNAT conntrack entries stay), re-opens
 * the device and puts its address and routes back; TCP retransmits across the gap. The flows must
 * end cleanly (FIN from the server, no reset) with every counter value in order; the gap is
 * printed. Meanwhile both pods open new connections one after another (curl): each is answered
 * through the VPS or fails, none leaves with its node's address.
 */
@ExtendWith(ControlPlaneExtension.class)
class AgentRestartTrafficIT {
  private static final int FLOW_PORT = 9000;
  private static final int LINES = 400; // one every 100 ms: 40 s
  private static final int INTERVAL_MS = 100;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"egress-gre.yaml", "egress-wireguard.yaml"})
  void establishedFlowsSurviveTheGatewayAgentsRestart(String example, ControlPlane controlPlane) {
    String tag = "[restart " + example + "]";
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("restart");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var onMember = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      Tunnel tunnel = cluster.applyExample(example, ns);
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

      Path server = lab.script("counter_server.py");
      Path client = lab.script("counter_client.py");
      lab.web()
          .spawn(
              cluster.log("counter-server").toFile(),
              "/usr/bin/python3",
              server.toString(),
              ClusterLab.WEB_ADDRESS,
              String.valueOf(FLOW_PORT),
              String.valueOf(LINES),
              String.valueOf(INTERVAL_MS),
              "180");
      Scenarios.await(
          cluster,
          "the counter service listens",
          Duration.ofSeconds(15),
          () -> lab.web().exec("ss", "-Hltn", "sport = :" + FLOW_PORT).stdout().contains(":"));
      List<CounterFlow> flows = new ArrayList<>();
      for (var pod : List.of(onGateway, onMember)) {
        Path out = cluster.log("flow-" + pod.name());
        pod.ns()
            .spawn(
                out.toFile(),
                "/usr/bin/python3",
                client.toString(),
                ClusterLab.WEB_ADDRESS,
                String.valueOf(FLOW_PORT),
                "150");
        flows.add(new CounterFlow(pod, out));
      }
      for (CounterFlow f : flows) {
        Scenarios.await(
            cluster,
            f.pod().name() + "'s flow carries counter values",
            Duration.ofSeconds(30),
            () -> f.read().seqs().size() >= 20);
      }

      Netns gateway = lab.node("node-a").ns();
      String conntrackBefore = conntrack(gateway);
      Path agentLog = cluster.log("node-a-agent");
      int logLinesBefore = CounterFlow.lines(agentLog).size();
      String device =
          gateway
              .execOk("ip", "-br", "link")
              .lines()
              .map(l -> l.split("[\\s@]+")[0])
              .filter(n -> n.startsWith("tnl-"))
              .findFirst()
              .orElseThrow();

      // New connections too, one after another from both selected pods, across the restart: each
      // is answered through the VPS or fails (kill switch); none may leave as its node.
      List<RequestLoop> loops =
          List.of(
              new RequestLoop(onGateway.ns(), Duration.ofSeconds(150), 1500),
              new RequestLoop(onMember.ns(), Duration.ofSeconds(150), 1500));
      sleep(1000);
      Instant restart = Instant.now();
      cluster.restartAgent("node-a");
      // The killed process took its TUN device along; wait for it to go, then to come back.
      boolean gone = false;
      Instant deviceBack = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (deviceBack == null && System.nanoTime() < deadline) {
        boolean routed =
            gateway
                .exec("ip", "route", "show", "table", "all", "dev", device)
                .stdout()
                .contains("default");
        if (!routed) {
          gone = true;
        } else if (gone) {
          deviceBack = Instant.now();
        }
        if (deviceBack == null) {
          sleep(50);
        }
      }
      assertThat(gone)
          .as(device + " went away with the killed agent (userspace datapath)")
          .isTrue();
      assertThat(deviceBack)
          .as("the restarted agent re-opened " + device + " with its route")
          .isNotNull();

      // The same SNAT conntrack entries carry the flows on: none was flushed or re-created.
      for (CounterFlow f : flows) {
        Scenarios.await(
            cluster,
            f.pod().name() + "'s flow carries values again after the restart",
            Duration.ofSeconds(120),
            () -> f.read().firstArrivalAfter(restart.toEpochMilli()) > restart.toEpochMilli());
      }
      for (RequestLoop loop : loops) {
        Scenarios.await(
            cluster,
            "new connections are answered through the VPS again after the restart",
            Duration.ofSeconds(60),
            () ->
                loop.firstAnsweredAfter(restart.plusSeconds(1), ClusterLab.VPS_ADDRESS)
                    .isPresent());
      }
      loops.forEach(RequestLoop::close);
      for (int i = 0; i < loops.size(); i++) {
        RequestLoop loop = loops.get(i);
        var pod = i == 0 ? onGateway : onMember;
        System.out.printf(
            tag + " new connections from %s around the restart: %s%n",
            pod.name(),
            loop.summary(restart.minusSeconds(2), Instant.now()));
        assertThat(loop.samples())
            .as("requests from " + pod.name() + " answered by anyone but the VPS (a leak)")
            .allMatch(r -> r.source() == null || r.source().equals(ClusterLab.VPS_ADDRESS));
        assertThat(loop.countAnswered(ClusterLab.VPS_ADDRESS)).isPositive();
      }
      String conntrackAfter = conntrack(gateway);
      for (CounterFlow f : flows) {
        Scenarios.await(
            cluster,
            f.pod().name() + "'s flow ends",
            Duration.ofSeconds(150),
            () -> f.read().end() != null);
      }
      List<String> restartedLog =
          CounterFlow.lines(agentLog).subList(logLinesBefore, CounterFlow.lines(agentLog).size());
      System.out.printf(
          tag
              + " SIGKILL + start of node-a's agent at %s; %s with its default route back after"
              + " %d ms%n",
          restart,
          device,
          Duration.between(restart, deviceBack).toMillis());
      for (CounterFlow f : flows) {
        CounterFlow.Transcript log = f.read();
        long before = log.lastArrivalBefore(restart.toEpochMilli());
        long after = log.firstArrivalAfter(restart.toEpochMilli());
        System.out.printf(
            tag
                + " %s (%s): server saw %s; %d counter values, %s; largest gap between two"
                + " arrivals %d ms; around the restart: last value %d ms before it, next %d ms"
                + " after it (gap %d ms)%n",
            f.pod().name(),
            f.pod().node().name(),
            log.from(),
            log.seqs().size(),
            log.end(),
            log.largestGapMillis(),
            restart.toEpochMilli() - before,
            after - restart.toEpochMilli(),
            after - before);
      }
      System.out.printf(
          tag
              + " conntrack on node-a before:%n%s%n"
              + tag
              + " after, flows resumed:%n%s%n"
              + tag
              + " the restarted agent's changes:%n  %s%n",
          conntrackBefore,
          conntrackAfter,
          String.join(
              "\n  ",
              restartedLog.stream()
                  .filter(
                      l ->
                          l.contains("applying ip changes")
                              || l.contains("nftables")
                              || l.contains("datapath"))
                  .toList()));

      for (CounterFlow f : flows) {
        CounterFlow.Transcript log = f.read();
        assertThat(log.from())
            .as(f.pod().name() + " went through the VPS")
            .isEqualTo(ClusterLab.VPS_ADDRESS);
        assertThat(log.end())
            .as(f.pod().name() + "'s flow ended with the server's FIN")
            .isEqualTo("END eof");
        assertThat(log.seqs())
            .as(f.pod().name() + ": every counter value, in order")
            .containsExactlyElementsOf(IntStream.range(0, LINES).boxed().toList());
      }
      assertThat(conntrackIds(conntrackAfter))
          .as("the flows' conntrack entries (SNAT to the tunnel address) are the same ones")
          .hasSize(flows.size())
          .isEqualTo(conntrackIds(conntrackBefore));
      assertThat(restartedLog)
          .as("the restarted agent adopted the nftables table instead of rewriting it")
          .noneMatch(l -> l.contains("replacing nftables table"));
    }
  }

  private static String conntrack(Netns node) {
    return node.exec(
            "conntrack", "-L", "-p", "tcp", "--dport", String.valueOf(FLOW_PORT), "-o", "id")
        .stdout()
        .strip();
  }

  /** The ids of ESTABLISHED conntrack entries: a flushed and re-created entry gets a new id. */
  private static List<String> conntrackIds(String conntrack) {
    return conntrack
        .lines()
        .filter(l -> l.contains("ESTABLISHED"))
        .map(l -> l.replaceAll(".*\\bid=(\\d+).*", "$1"))
        .sorted()
        .toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
