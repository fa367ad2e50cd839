package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Netns;
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
 * Scenario: the kill switch covers a selected pod from its first packet, not from the moment its IP
 * reaches the agent. After the Tunnel is Ready, a selected pod is started on node-b, which runs no
 * selected pod yet, in the kubelet's order: bound to the node, then its sandbox (with its IP) and
 * its containers, then {@code status.podIP} reported. It pings the internet host from its first
 * moment. Nothing reaches that host from the nodes' addresses; an unselected pod started on node-b
 * meanwhile reaches it as soon as the agent knows it; once the pod's IP is reported, its pings
 * leave through the VPS and the guard is gone.
 *
 * <p>In a dual-stack cluster the same holds for the new pod's IPv6 (the node's IPv6 pod CIDR gets
 * its own guard): with a Tunnel that carries IPv6 it leaves through the VPS once its addresses are
 * reported, with one that does not it stays dropped; never through the node's own address.
 *
 * <p>The sandbox is set up once node-b's agent shows the guard: the test asserts what the guard
 * does, not a race between the agent and a kubelet (the time from binding to the guard is printed).
 */
@ExtendWith(ControlPlaneExtension.class)
class NewPodKillSwitchIT {
  private static final Pattern GUARD_COUNTER =
      Pattern.compile("counter packets (\\d+) .*pods without a known IP");
  private static final Pattern GUARD6_COUNTER =
      Pattern.compile("counter packets (\\d+) .*IPv6 of pods without a known IP");
  private static final Pattern IPV6_KILL_SWITCH_COUNTER =
      Pattern.compile(
          "counter packets (\\d+) bytes \\d+ drop comment \"kill switch [^\"]*: IPv6\"");

  @Test
  void aSelectedPodStartedAfterReadyLeaksNothing(ControlPlane controlPlane) throws Exception {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("scraping");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      String name = startReady(cluster, ns, cluster.loadExample("egress-gre.yaml", ns), onGateway);
      Netns nodeB = lab.node("node-b").ns();
      assertThat(nodeB.exec("nft", "list", "table", "inet", "tunnelier").stdout())
          .as("node-b runs no selected pod: nothing of the Tunnel there yet")
          .doesNotContain("kill switch");

      String nodeA = lab.node("node-a").address();
      String nodeBAddress = lab.node("node-b").address();
      lab.countPingsAtWeb("nodes", List.of(nodeA, nodeBAddress));
      lab.countPingsAtWeb("vps", List.of(ClusterLab.VPS_ADDRESS));

      // Bound: the agent sees the pod before it has an IP.
      Map<String, String> selected = Map.of("app", "scraper");
      long bound = System.nanoTime();
      cluster.bindPod(ns, "node-b", "scraper-new", selected);
      // Looked for every 50 ms (not the scenarios' 500 ms), so the time printed below means
      // something; it is reported, not asserted.
      long deadline = bound + Duration.ofSeconds(30).toNanos();
      while (!table(nodeB).contains("pods without a known IP") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      double guardAfter = (System.nanoTime() - bound) / 1e9;
      Scenarios.await(
          cluster,
          "node-b's agent guards the selected pod that has no IP yet",
          Duration.ofSeconds(1),
          () -> table(nodeB).contains("pods without a known IP"));

      // The sandbox, with its IP, and the pod's first packets; the API does not know the IP yet.
      ClusterLab.LabPod fresh = lab.addPod("node-b", "scraper-new", selected);
      Process pings = pings(lab, fresh, ClusterLab.WEB_ADDRESS);

      // Another pod started on node-b meanwhile, unselected: once known, it is not held back.
      var unselected = cluster.runPod(ns, "node-b", "web-new", Map.of("app", "web"));
      Scenarios.await(
          cluster,
          "the unselected pod reaches the internet host as its node",
          Duration.ofSeconds(60),
          () -> nodeBAddress.equals(lab.sourceSeenByWeb(unselected.ns())));
      assertThat(table(nodeB))
          .as("the guard still holds while the selected pod's IP is unreported")
          .contains("pods without a known IP")
          .contains(unselected.ip());
      Scenarios.await(
          cluster,
          "the guard drops the new pod's pings",
          Duration.ofSeconds(30),
          () -> guardDrops(nodeB) > 0);
      long droppedByGuard = guardDrops(nodeB);
      assertThat(lab.pingsCounted("nodes"))
          .as("pings the internet host got from the nodes' own addresses (leaks)")
          .isZero();

      // status.podIP reported: a selected pod like the others, its pings through the VPS.
      cluster.kubelet().reportRunning(ns, fresh);
      Scenarios.await(
          cluster,
          "the new pod's pings arrive from the VPS",
          Duration.ofSeconds(60),
          () -> lab.pingsCounted("vps") > 0);
      guardGoneAndNoLeak(cluster, lab, nodeB, pings, "nodes");
      System.out.printf(
          "[new pod] guard on node-b %.2f s after the pod was bound; it dropped %d pings before"
              + " the pod's IP was reported; %d pings through the VPS since; 0 from the nodes%n",
          guardAfter, droppedByGuard, lab.pingsCounted("vps"));
    }
  }

  @ParameterizedTest(name = "the Tunnel carries IPv6: {0}")
  @ValueSource(booleans = {true, false})
  void aSelectedDualStackPodsIpv6LeaksNothingBeforeItsAddressesAreKnown(
      boolean carriesIpv6, ControlPlane controlPlane) throws Exception {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster =
            TunnelierCluster.install(controlPlane, lab.addIpv6Pods(), List.of("node-a"))) {
      lab.addIpv6Underlay();
      String ns = cluster.namespace("scraping");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      Tunnel loaded = cluster.loadExample("egress-gre.yaml", ns);
      if (carriesIpv6) {
        loaded.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0", "::/0"));
      }
      String name = startReady(cluster, ns, loaded, onGateway);
      Netns nodeB = lab.node("node-b").ns();
      // The nodes' own IPv6 addresses (the lab's CNI masquerades pod IPv6 to them): leaks.
      lab.countPingsAtWeb("nodes6", List.of("2001:db8:0:1::/64"));
      lab.countPingsAtWeb("vps6", List.of(ClusterLab.VPS_IPV6_ADDRESS));

      Map<String, String> selected = Map.of("app", "scraper");
      cluster.bindPod(ns, "node-b", "scraper-new", selected);
      Scenarios.await(
          cluster,
          "node-b's agent guards the IPv6 of the selected pod that has no IP yet",
          Duration.ofSeconds(30),
          () -> table(nodeB).contains("IPv6 of pods without a known IP"));

      ClusterLab.LabPod fresh = lab.addPod("node-b", "scraper-new", selected);
      Process pings = pings(lab, fresh, ClusterLab.WEB_IPV6_ADDRESS);
      Scenarios.await(
          cluster,
          "the IPv6 guard drops the new pod's pings",
          Duration.ofSeconds(30),
          () -> counter(GUARD6_COUNTER, nodeB) > 0);
      long droppedByGuard = counter(GUARD6_COUNTER, nodeB);
      assertThat(lab.pingsCounted("nodes6"))
          .as("IPv6 pings the internet host got from the nodes' own addresses (leaks)")
          .isZero();

      // status.podIPs reported, IPv4 and IPv6 together.
      cluster.kubelet().reportRunning(ns, fresh);
      if (carriesIpv6) {
        Scenarios.await(
            cluster,
            "the new pod's IPv6 pings arrive from the VPS",
            Duration.ofSeconds(60),
            () -> lab.pingsCounted("vps6") > 0);
      } else {
        Scenarios.await(
            cluster,
            "the kill switch drops the new pod's IPv6 by address",
            Duration.ofSeconds(60),
            () -> counter(IPV6_KILL_SWITCH_COUNTER, nodeB) > 0);
      }
      guardGoneAndNoLeak(cluster, lab, nodeB, pings, "nodes6");
      System.out.printf(
          "[new pod, IPv6, Tunnel carries IPv6: %s] the IPv6 guard dropped %d pings before the"
              + " pod's addresses were reported; %d IPv6 pings through the VPS since; 0 from the"
              + " nodes%n",
          carriesIpv6, droppedByGuard, lab.pingsCounted("vps6"));
    }
  }

  /**
   * Once the pod's addresses are known: the guard goes away, and over the whole test the internet
   * host got no ping from the nodes' own addresses (counter {@code leaks}).
   */
  private static void guardGoneAndNoLeak(
      TunnelierCluster cluster, ClusterLab lab, Netns node, Process pings, String leaks)
      throws InterruptedException {
    Scenarios.await(
        cluster,
        "node-b's guard is gone",
        Duration.ofSeconds(30),
        () -> !table(node).contains("pods without a known IP"));
    pings.destroy();
    pings.waitFor();
    assertThat(lab.pingsCounted(leaks))
        .as("pings from the nodes' own addresses (%s), over the whole test", leaks)
        .isZero();
  }

  /** Applies the Tunnel and waits until it is Ready with the gateway's selected pod. */
  private static String startReady(
      TunnelierCluster cluster, String ns, Tunnel tunnel, ClusterLab.LabPod onGateway) {
    String name = cluster.apply(tunnel).getMetadata().getName();
    Scenarios.startEgress(cluster, ns, name, onGateway);
    Scenarios.await(
        cluster,
        "the Tunnel is Ready",
        Duration.ofSeconds(90),
        () -> Scenarios.conditionTrue(cluster.tunnel(ns, name), "Ready"));
    return name;
  }

  /** Pings {@code host} from the pod every 0.2 s, at most 300 times (one minute). */
  private static Process pings(ClusterLab lab, ClusterLab.LabPod pod, String host) {
    String log = pod.name() + "-ping-" + host.replace(':', '_') + ".log";
    return pod.ns()
        .spawn(lab.workDir().resolve(log).toFile(), "ping", "-n", "-i", "0.2", "-c", "300", host);
  }

  private static long counter(Pattern p, Netns node) {
    Matcher m = p.matcher(table(node));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static String table(Netns node) {
    return node.exec("nft", "list", "table", "inet", "tunnelier").stdout();
  }

  private static long guardDrops(Netns node) {
    Matcher m = GUARD_COUNTER.matcher(table(node));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
