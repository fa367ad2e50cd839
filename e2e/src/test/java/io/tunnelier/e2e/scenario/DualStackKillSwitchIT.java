package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Egress carries IPv4 only, so a selected dual-stack pod's IPv6 must not leave by its node's own
 * way. Two dual-stack pods on the member node (fd00:64:12::/64 behind it, 2001:db8:0:1::/64 on the
 * nodes' LAN, the edge router at 2001:db8:0:1::1 counting the echo requests it gets from each): the
 * unselected pod's pings reach the edge (the control: the path works), the selected pod's none, and
 * the member's kill-switch counter for IPv6 rose by exactly the pings sent; its status entry says
 * one selected pod there has IPv6.
 */
@ExtendWith(ControlPlaneExtension.class)
class DualStackKillSwitchIT {
  private static final String EDGE_V6 = "2001:db8:0:1::1";
  private static final String NODE_V6 = "2001:db8:0:1::12";
  private static final int PINGS = 5;

  @Test
  void aSelectedPodsIpv6NeverLeavesDirectly(ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("scraping");
      var selected = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      var unselected = cluster.runPod(ns, "node-b", "web-b", Map.of("app", "web"));
      Netns node = lab.node("node-b").ns();
      Netns edge = lab.edge();
      // IPv6 on the LAN and behind node-b, as a dual-stack CNI would set it up.
      node.execOk("sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");
      node.ip("-6 addr add " + NODE_V6 + "/64 dev eth0 nodad");
      edge.ip("-6 addr add " + EDGE_V6 + "/64 dev lan0 nodad");
      edge.ip("-6 route add fd00:64:12::/64 via " + NODE_V6);
      String selectedV6 = dualStack(cluster, ns, lab, selected, "fd00:64:12::2");
      String unselectedV6 = dualStack(cluster, ns, lab, unselected, "fd00:64:12::3");
      Exec.run(
              Duration.ofSeconds(10),
              edge.wrap("nft", "-f", "-"),
              ("table inet lab_v6 {\n chain input {\n type filter hook input priority 0;\n"
                      + " ip6 saddr "
                      + selectedV6
                      + " icmpv6 type echo-request counter comment \"selected\"\n"
                      + " ip6 saddr "
                      + unselectedV6
                      + " icmpv6 type echo-request counter comment \"unselected\"\n }\n}\n")
                  .getBytes())
          .orThrow();

      Tunnel tunnel = cluster.applyExample("egress-gre.yaml", ns);
      String name = tunnel.getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);
      Scenarios.await(
          cluster,
          "the member's kill switch holds the selected pod's IPv6",
          Duration.ofSeconds(120),
          () -> node.execOk("nft", "list", "table", "inet", "tunnelier").contains(selectedV6));
      long dropsBefore = ipv6Drops(node);

      Exec.Result fromSelected = ping(selected.ns());
      Exec.Result fromUnselected = ping(unselected.ns());
      long atEdgeSelected = counted(edge, "selected");
      long atEdgeUnselected = counted(edge, "unselected");
      long drops = ipv6Drops(node) - dropsBefore;
      System.out.printf(
          "[dual-stack] %d IPv6 pings each: selected pod %s -> edge got %d (ping exit %d), kill"
              + " switch drops +%d; unselected pod %s -> edge got %d (ping exit %d)%n",
          PINGS,
          selectedV6,
          atEdgeSelected,
          fromSelected.exitCode(),
          drops,
          unselectedV6,
          atEdgeUnselected,
          fromUnselected.exitCode());
      assertThat(atEdgeUnselected)
          .as("the control: the unselected pod's IPv6 leaves")
          .isEqualTo(PINGS);
      assertThat(fromUnselected.exitCode()).isZero();
      assertThat(atEdgeSelected).as("the selected pod's IPv6 that left directly").isZero();
      assertThat(fromSelected.exitCode()).isNotZero();
      assertThat(drops).as("dropped by the member's kill switch").isEqualTo(PINGS);

      Scenarios.await(
          cluster,
          "node-b's entry says one selected pod there has IPv6",
          Duration.ofSeconds(60),
          () -> {
            Tunnel t = cluster.tunnel(ns, name);
            for (NodeStatus n : t.getStatus().getNodes()) {
              if ("node-b".equals(n.getName())) {
                return n.getConditions().stream()
                    .anyMatch(
                        c ->
                            "NATProgrammed".equals(c.getType())
                                && c.getMessage()
                                    .contains(
                                        "1 of the selected pods on this node have IPv6 addresses"));
              }
            }
            return false;
          });
    }
  }

  /** Gives a lab pod an IPv6 address behind its node and reports it in status.podIPs. */
  private static String dualStack(
      TunnelierCluster cluster, String ns, ClusterLab lab, ClusterLab.LabPod pod, String v6) {
    String hostSide = hostSide(pod.node().ns(), pod.ip());
    pod.ns().ip("-6 addr add " + v6 + "/128 dev eth0 nodad");
    pod.ns().ip("-6 route add fe80::1 dev eth0");
    pod.ns().ip("-6 route add default via fe80::1 dev eth0");
    pod.node().ns().ip("-6 addr add fe80::1/64 dev " + hostSide + " nodad");
    pod.node().ns().ip("-6 route add " + v6 + "/128 dev " + hostSide);
    Pod live = cluster.admin().pods().inNamespace(ns).withName(pod.name()).get();
    List<PodIP> ips = new ArrayList<>(live.getStatus().getPodIPs());
    ips.add(new PodIP(v6));
    live.getStatus().setPodIPs(ips);
    cluster.admin().pods().resource(live).updateStatus();
    return v6;
  }

  /** The node's end of a pod's veth: the device its /32 route points at. */
  private static String hostSide(Netns node, String podIp) {
    Matcher m = Pattern.compile("dev (\\S+)").matcher(node.ip("route show " + podIp));
    if (!m.find()) {
      throw new IllegalStateException("no route to " + podIp);
    }
    return m.group(1);
  }

  private static Exec.Result ping(Netns from) {
    return from.exec(
        Duration.ofSeconds(20),
        "ping",
        "-6",
        "-n",
        "-c",
        String.valueOf(PINGS),
        "-i",
        "0.2",
        "-W",
        "1",
        EDGE_V6);
  }

  private static long counted(Netns edge, String comment) {
    return counter(edge.execOk("nft", "list", "chain", "inet", "lab_v6", "input"), comment);
  }

  private static long ipv6Drops(Netns node) {
    return counter(
        node.execOk("nft", "list", "chain", "inet", "tunnelier", "forward"),
        "kill switch scraping-");
  }

  private static long counter(String listing, String comment) {
    for (String line : listing.split("\n")) {
      if (line.contains("comment \"" + comment)
          && (!comment.startsWith("kill") || line.contains(": IPv6\""))) {
        Matcher m = Pattern.compile("counter packets (\\d+)").matcher(line);
        if (m.find()) {
          return Long.parseLong(m.group(1));
        }
      }
    }
    throw new IllegalStateException("no counter with comment " + comment + " in " + listing);
  }
}
