package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Exec;
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

/**
 * What the far side may send in (issue 15): the VPS, or whoever holds or spoofs its end of the
 * tunnel, opens no connection into the cluster. With the real agents and an egress Tunnel (GRE),
 * the VPS routes a selected pod's address and the gateway's inner address into the tunnel, as a
 * hostile VPS would, and tries to connect to the pod's service and to the gateway agent's metrics
 * port: both attempts time out and the gateway's drop counters for them rose, while the same
 * metrics port answers the VPS outside the tunnel (the control), the pods' egress still works, and
 * the VPS's echo request to the gateway's inner address (its RTT probe) is still answered. Then UDP
 * datagrams to the VXLAN port from a host on the nodes' LAN that is no node and from a pod on the
 * gateway node are dropped and counted, one for one.
 */
@ExtendWith(ControlPlaneExtension.class)
class TunnelFilterIT {
  private static final int POD_PORT = 8081;

  @Test
  void theFarSideOpensNothing(ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("scraping");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var onMember = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      lab.startEchoServer(onGateway.ns(), onGateway.ip(), POD_PORT);

      Tunnel tunnel = cluster.applyExample("egress-gre.yaml", ns);
      String name = tunnel.getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);
      Scenarios.await(
          cluster,
          "both selected pods leave through the VPS",
          Duration.ofSeconds(120),
          () ->
              ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(onGateway.ns()))
                  && ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(onMember.ns())));
      Tunnel t = cluster.tunnel(ns, name);
      String gatewayInner = t.getStatus().getTunnelAddress().split("/")[0];
      Netns gateway = lab.node("node-a").ns();
      Netns vps = lab.vps();
      String vpsDev = device(vps);
      String gwDev = device(gateway);
      int metricsPort = agentPort(gateway);

      // The VPS's RTT probe of the gateway's inner address is answered through the tunnel.
      assertThat(vps.exec("ping", "-c", "1", "-W", "3", gatewayInner).exitCode())
          .as("the VPS's echo request to the gateway's inner address")
          .isZero();
      // The control: the metrics port answers the VPS outside the tunnel.
      assertThat(curl(vps, lab.node("node-a").address(), metricsPort).exitCode())
          .as("the gateway's metrics port from the VPS, outside the tunnel")
          .isZero();

      String forwardDrop = "\"" + ns + "/" + name + ": not a reply, from " + gwDev + "\"";
      String inputDrop = "\"" + ns + "/" + name + ": to this host from " + gwDev + "\"";
      long forwardBefore = counter(gateway, "forward", forwardDrop);
      long inputBefore = counter(gateway, "input", inputDrop);

      // A hostile VPS: the pod's address into the tunnel, then a connection to its service.
      vps.ip(
          "route add " + onGateway.ip() + "/32 via " + gatewayInner + " dev " + vpsDev + " onlink");
      Exec.Result toPod = curl(vps, onGateway.ip(), POD_PORT);
      Exec.Result toAgent = curl(vps, gatewayInner, metricsPort);
      long forwardDrops = counter(gateway, "forward", forwardDrop) - forwardBefore;
      long inputDrops = counter(gateway, "input", inputDrop) - inputBefore;
      System.out.printf(
          "[filter] VPS -> pod %s:%d through the tunnel: curl exit %d, forward drops +%d;"
              + " VPS -> gateway %s:%d: curl exit %d, input drops +%d%n",
          onGateway.ip(),
          POD_PORT,
          toPod.exitCode(),
          forwardDrops,
          gatewayInner,
          metricsPort,
          toAgent.exitCode(),
          inputDrops);
      assertThat(toPod.exitCode())
          .as("curl to the pod through the tunnel: 28, timed out")
          .isEqualTo(28);
      assertThat(toAgent.exitCode())
          .as("curl to the gateway's metrics port through the tunnel: 28, timed out")
          .isEqualTo(28);
      assertThat(forwardDrops).as("SYNs to the pod dropped on the gateway").isPositive();
      assertThat(inputDrops).as("SYNs to the gateway's metrics port dropped").isPositive();
      // Egress is unaffected: replies still come in.
      assertThat(lab.sourceSeenByWeb(onGateway.ns())).isEqualTo(ClusterLab.VPS_ADDRESS);
      assertThat(lab.sourceSeenByWeb(onMember.ns())).isEqualTo(ClusterLab.VPS_ADDRESS);

      // The VXLAN port takes only the other nodes: 5 datagrams from the edge router (on the
      // nodes' LAN, no node) and 5 from a pod on the gateway node, all dropped and counted.
      String vxlanDrop = "\"VXLAN hop: not from a cluster node\"";
      long vxlanBefore = counter(gateway, "input", vxlanDrop);
      String target = lab.node("node-a").address();
      sendUdp(lab.edge(), target, 4789, 5);
      sendUdp(onGateway.ns(), target, 4789, 5);
      long vxlanDrops = counter(gateway, "input", vxlanDrop) - vxlanBefore;
      System.out.printf(
          "[filter] UDP 4789 to the gateway: 10 datagrams sent (5 from the edge %s, 5 from pod"
              + " %s), %d dropped%n",
          lab.edge().name(), onGateway.ip(), vxlanDrops);
      assertThat(vxlanDrops).isEqualTo(10);
      // The member's hop still carries its pod's traffic.
      assertThat(lab.sourceSeenByWeb(onMember.ns())).isEqualTo(ClusterLab.VPS_ADDRESS);
    }
  }

  private static Exec.Result curl(Netns from, String host, int port) {
    return from.exec(
        Duration.ofSeconds(15),
        "curl",
        "-s",
        "-o",
        "/dev/null",
        "--connect-timeout",
        "3",
        "--max-time",
        "5",
        "http://" + host + ":" + port + "/");
  }

  private static void sendUdp(Netns from, String host, int port, int count) {
    from.execOk(
        "bash",
        "-c",
        "for i in $(seq " + count + "); do echo probe > /dev/udp/" + host + "/" + port + "; done");
  }

  /** Our tunnel device in {@code ns}. */
  private static String device(Netns ns) {
    Matcher m = Pattern.compile("\\d+: (tnl-[0-9a-f]{8})[:@]").matcher(ns.ip("-o link show"));
    if (!m.find()) {
      throw new IllegalStateException("no tunnel device in " + ns);
    }
    return m.group(1);
  }

  /** The port the agent's metrics server listens on in {@code ns} (TunnelierCluster picks it). */
  private static int agentPort(Netns ns) {
    for (String line : ns.execOk("ss", "-Hltnp").split("\n")) {
      if (line.contains("java")) {
        Matcher m = Pattern.compile("[\\]*:](\\d+)\\s").matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
    }
    throw new IllegalStateException("no listening agent in " + ns);
  }

  /** The packets counted by the rule of {@code chain} in our table whose comment is given. */
  private static long counter(Netns ns, String chain, String comment) {
    String out = ns.execOk("nft", "list", "chain", "inet", "tunnelier", chain);
    for (String line : out.split("\n")) {
      if (line.contains("comment " + comment)) {
        Matcher m = Pattern.compile("counter packets (\\d+)").matcher(line);
        if (m.find()) {
          return Long.parseLong(m.group(1));
        }
      }
    }
    throw new IllegalStateException("no rule with comment " + comment + " in " + out);
  }
}
