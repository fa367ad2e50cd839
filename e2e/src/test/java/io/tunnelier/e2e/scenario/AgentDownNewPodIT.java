package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Netns;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario: a selected pod started while its node's agent is down leaks nothing, from its first
 * packet (issue: the kill switch without windows). The chart's {@code agent.cniHold} is on:
 * node-b's agent chains the CNI plugin (cni-plugin/, the real binary) into its node's CNI
 * configuration and names the Tunnel's namespace in the guarded namespaces' file. Then node-b's
 * agent is killed (SIGKILL) and a selected pod starts on node-b in the runtime's order: bound,
 * sandbox with its IP, CNI ADD through the chain the agent wrote (the plugin holds the pod), then
 * the pod's pings from its first moment, and its IP reported to the API server, all while no agent
 * runs on node-b. The internet host counts pings from the nodes' addresses and the pod's own: 0. A
 * pod of another namespace started on node-b meanwhile is not held. Once node-b's agent is back, it
 * programs the pod, releases the hold, and the pings arrive through the VPS.
 */
@ExtendWith(ControlPlaneExtension.class)
class AgentDownNewPodIT {
  private static final Pattern HOLD_COUNTER =
      Pattern.compile("counter packets (\\d+) .*held: a new pod the agent has not programmed yet");
  private static final Pattern TRANSMITTED = Pattern.compile("(\\d+) packets transmitted");

  @Test
  void aSelectedPodStartedWhileItsNodesAgentIsDownLeaksNothing(ControlPlane controlPlane)
      throws Exception {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("scraping");
      String other = cluster.namespace("other");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      String name = cluster.applyExample("egress-gre.yaml", ns).getMetadata().getName();
      Scenarios.startEgress(cluster, ns, name, onGateway);
      Path cni = cluster.cniDirectory("node-b");
      Scenarios.await(
          cluster,
          "node-b's agent chained the plugin and guards the Tunnel's namespace",
          Duration.ofSeconds(60),
          () ->
              Files.readString(cni.resolve("net.d/10-lab.conflist")).contains("tunnelier-cni")
                  && Files.exists(cni.resolve("state/guarded-namespaces"))
                  && Files.readString(cni.resolve("state/guarded-namespaces")).contains(ns));
      System.out.printf(
          "[agent down] node-b's CNI configuration as its agent left it:%n%s%n",
          Files.readString(cni.resolve("net.d/10-lab.conflist")));

      cluster.killAgent("node-b");
      Netns nodeB = lab.node("node-b").ns();
      Map<String, String> selected = Map.of("app", "scraper");
      cluster.bindPod(ns, "node-b", "scraper-new", selected);
      ClusterLab.LabPod fresh = lab.addPod("node-b", "scraper-new", selected);
      String nodeA = lab.node("node-a").address();
      String nodeBAddress = lab.node("node-b").address();
      lab.countPingsAtWeb("leaks", List.of(nodeA, nodeBAddress, fresh.ip()));
      lab.countPingsAtWeb("vps", List.of(ClusterLab.VPS_ADDRESS));
      // The runtime runs the chain before any container of the pod.
      cluster.cniAdd(ns, fresh);
      assertThat(nodeB.execOk("nft", "list", "set", "inet", "tunnelier_cni", "held4"))
          .as("the plugin held the new pod, with its UID")
          .contains(fresh.ip() + " comment");
      Path pingLog = lab.workDir().resolve("scraper-new-ping.log");
      Process pings =
          fresh
              .ns()
              .spawn(
                  pingLog.toFile(), "ping", "-n", "-i", "0.2", "-c", "200", ClusterLab.WEB_ADDRESS);
      cluster.kubelet().reportRunning(ns, fresh);

      // A pod of a namespace without a Tunnel, started on node-b meanwhile: not held.
      cluster.bindPod(other, "node-b", "web-other", Map.of("app", "web"));
      ClusterLab.LabPod unguarded = lab.addPod("node-b", "web-other", Map.of("app", "web"));
      cluster.cniAdd(other, unguarded);
      cluster.kubelet().reportRunning(other, unguarded);
      assertThat(lab.sourceSeenByWeb(unguarded.ns()))
          .as("another namespace's new pod leaves as its node, agent or not")
          .isEqualTo(nodeBAddress);

      Thread.sleep(6000);
      long heldWhileDown = holdDrops(nodeB);
      assertThat(heldWhileDown).as("pings the hold dropped while the agent was down").isPositive();
      assertThat(lab.pingsCounted("leaks"))
          .as("pings from the nodes' or the pod's own address while the agent was down")
          .isZero();
      assertThat(lab.pingsCounted("vps")).isZero();

      cluster.restartAgent("node-b");
      long restarted = System.nanoTime();
      Scenarios.await(
          cluster,
          "the new pod's pings arrive through the VPS once node-b's agent is back",
          Duration.ofSeconds(60),
          () -> lab.pingsCounted("vps") > 0);
      double backAfter = (System.nanoTime() - restarted) / 1e9;
      Scenarios.await(
          cluster,
          "node-b's agent released the hold",
          Duration.ofSeconds(30),
          () ->
              !nodeB
                  .execOk("nft", "list", "set", "inet", "tunnelier_cni", "held4")
                  .contains(fresh.ip()));
      pings.waitFor();
      Matcher sent = TRANSMITTED.matcher(Files.readString(pingLog));
      assertThat(sent.find()).as("ping's summary in " + pingLog).isTrue();
      long leaked = lab.pingsCounted("leaks");
      assertThat(leaked).as("pings from the nodes' or the pod's own address, whole test").isZero();
      System.out.printf(
          "[agent down] new selected pod on node-b while its agent was down: %s pings sent,"
              + " %d dropped by the hold (%d in the first 6 s), %d through the VPS (the first"
              + " %.1f s after the agent's restart), %d leaked%n",
          sent.group(1),
          holdDrops(nodeB),
          heldWhileDown,
          lab.pingsCounted("vps"),
          backAfter,
          leaked);

      // Now node-b's agent runs, but the gateway's agent is killed and the VPS is gone: a selected
      // pod started on node-b (pinging from its first packet) is released by node-b's agent into
      // the kill switch, and nothing of it leaves but through a tunnel that is not there.
      cluster.killAgent("node-a");
      cluster.stopVps();
      long vpsBefore = lab.pingsCounted("vps");
      cluster.bindPod(ns, "node-b", "scraper-late", selected);
      ClusterLab.LabPod late = lab.addPod("node-b", "scraper-late", selected);
      lab.countPingsAtWeb("leaks_late", List.of(nodeA, nodeBAddress, late.ip()));
      cluster.cniAdd(ns, late);
      Path lateLog = lab.workDir().resolve("scraper-late-ping.log");
      Process latePings =
          late.ns()
              .spawn(
                  lateLog.toFile(), "ping", "-n", "-i", "0.2", "-c", "50", ClusterLab.WEB_ADDRESS);
      cluster.kubelet().reportRunning(ns, late);
      Scenarios.await(
          cluster,
          "node-b's agent programmed the late pod and released its hold",
          Duration.ofSeconds(30),
          () ->
              !nodeB
                  .execOk("nft", "list", "set", "inet", "tunnelier_cni", "held4")
                  .contains(late.ip()));
      latePings.waitFor();
      Matcher lateSent = TRANSMITTED.matcher(Files.readString(lateLog));
      assertThat(lateSent.find()).as("ping's summary in " + lateLog).isTrue();
      assertThat(lab.pingsCounted("leaks_late"))
          .as("the late pod's pings from the nodes' or its own address")
          .isZero();
      assertThat(lab.pingsCounted("vps")).as("no VPS, no pings through it").isEqualTo(vpsBefore);
      System.out.printf(
          "[agent down] new selected pod on node-b while the gateway's agent and the VPS were down:"
              + " %s pings sent, 0 through the VPS, %d leaked%n",
          lateSent.group(1), lab.pingsCounted("leaks_late"));
    }
  }

  /** The hold rule's counter (a restarted agent adopts the table, counter and all). */
  private static long holdDrops(Netns node) {
    Matcher m = HOLD_COUNTER.matcher(node.execOk("nft", "list", "table", "inet", "tunnelier_cni"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
