package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.peerconfig.HostPort;
import io.tunnelier.api.v1alpha1.GatewaySpec;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Egress carries IPv6 (issue 17): a dual-stack cluster (pods in fd00:64:1x::/64, nodes and the
 * internet host in 2001:db8::/32) with {@code destinations: [0.0.0.0/0, ::/0]}. The operator gives
 * the Tunnel an IPv6 inner pair (its IPv4 pair embedded in addressPool6); the internet host sees
 * the VPS's IPv4 and IPv6 addresses for the selected pods on the gateway and on a member, and the
 * member node's own for an unselected pod there. When the gateway's tunnel device is gone (its
 * agent killed), the selected pods' IPv6 is dropped by the kill switch: the internet host gets
 * nothing from the nodes' own IPv6 addresses.
 */
@ExtendWith(ControlPlaneExtension.class)
class DualStackEgressIT {
  private static final String POOL6 = "fd00:7475:6e6e::";
  private static final String NODE_B_V6 = "2001:db8:0:1::12";
  private static final int ATTEMPTS = 3;

  @ParameterizedTest(name = "{0} over {1}")
  @CsvSource({
    "egress-wireguard.yaml, IPv4",
    "egress-gre-over-udp.yaml, IPv4",
    "egress-gre.yaml, IPv4",
    "egress-wireguard.yaml, IPv6"
  })
  void selectedPodsLeaveThroughTheVpsByBothFamilies(
      String example, String underlay, ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster =
            TunnelierCluster.install(controlPlane, lab.addIpv6Pods(), List.of("node-a"))) {
      lab.addIpv6Underlay();
      Netns web = lab.web();
      lab.startEchoServer(web, ClusterLab.WEB_IPV6_ADDRESS, ClusterLab.WEB_PORT);
      // Connections the internet host gets from the cluster nodes' own IPv6 addresses: leaks when
      // they come from a selected pod.
      Exec.run(
              Duration.ofSeconds(10),
              web.wrap("nft", "-f", "-"),
              ("table inet lab_web6 {\n chain input {\n type filter hook input priority 0;\n"
                      + " ip6 saddr 2001:db8:0:1::/64 tcp dport "
                      + ClusterLab.WEB_PORT
                      + " tcp flags syn counter comment \"from-nodes\"\n }\n}\n")
                  .getBytes())
          .orThrow();
      String ns = cluster.namespace("scraping");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var onMember = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      var unselected = cluster.runPod(ns, "node-b", "web-b", Map.of("app", "web"));

      Tunnel loaded = cluster.loadExample(example, ns);
      loaded.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0", "::/0"));
      // node-a alone may be the gateway (the GRE-in-UDP example lets any node be): with it gone,
      // nothing takes over and the kill switch must hold.
      GatewaySpec gateway = new GatewaySpec();
      gateway.setNodeSelector(Map.of("tunnelier.io/gateway", "true"));
      loaded.getSpec().setGateway(gateway);
      if (underlay.equals("IPv6")) {
        int port = HostPort.parse(loaded.getSpec().getPeer().getEndpoint()).port();
        loaded.getSpec().getPeer().setEndpoint("[" + ClusterLab.VPS_IPV6_ADDRESS + "]:" + port);
      }
      String name = cluster.apply(loaded).getMetadata().getName();
      Scenarios.startEgress(cluster, ns, name, onGateway);

      Tunnel started = cluster.tunnel(ns, name);
      String v4 = started.getStatus().getTunnelAddress();
      String v6 = started.getStatus().getTunnelAddress6();
      System.out.printf(
          "[dual-stack egress %s over %s] status.tunnelAddress %s peerAddress %s,"
              + " tunnelAddress6 %s peerAddress6 %s%n",
          example,
          underlay,
          v4,
          started.getStatus().getPeerAddress(),
          v6,
          started.getStatus().getPeerAddress6());
      assertThat(v6).as("status.tunnelAddress6: the IPv4 pair embedded").isEqualTo(embedded(v4));
      assertThat(started.getStatus().getPeerAddress6())
          .isEqualTo(embedded(started.getStatus().getPeerAddress()));

      String nodeB = lab.node("node-b").address();
      record Expect(ClusterLab.LabPod pod, String host, String seen) {}
      List<Expect> expected =
          List.of(
              new Expect(onGateway, ClusterLab.WEB_ADDRESS, ClusterLab.VPS_ADDRESS),
              new Expect(onGateway, ClusterLab.WEB_IPV6_ADDRESS, ClusterLab.VPS_IPV6_ADDRESS),
              new Expect(onMember, ClusterLab.WEB_ADDRESS, ClusterLab.VPS_ADDRESS),
              new Expect(onMember, ClusterLab.WEB_IPV6_ADDRESS, ClusterLab.VPS_IPV6_ADDRESS),
              new Expect(unselected, ClusterLab.WEB_ADDRESS, nodeB),
              new Expect(unselected, ClusterLab.WEB_IPV6_ADDRESS, NODE_B_V6));
      for (Expect e : expected) {
        Scenarios.await(
            cluster,
            e.pod().name() + " -> " + e.host() + " is seen from " + e.seen(),
            Duration.ofSeconds(60),
            () -> e.seen().equals(lab.sourceSeenBy(e.pod().ns(), e.host(), ClusterLab.WEB_PORT)));
        System.out.printf(
            "[dual-stack egress %s over %s] %s (%s) -> %s: the internet host sees %s%n",
            example,
            underlay,
            e.pod().name(),
            e.host().contains(":") ? e.pod().ip6() : e.pod().ip(),
            e.host(),
            e.seen());
      }
      // IPv6 path MTU: a DF ping of exactly the path's limit crosses, one byte more gets Packet Too
      // Big naming it.
      Scenarios.await(
          cluster,
          "status.mtu",
          Duration.ofSeconds(60),
          () -> cluster.tunnel(ns, name).getStatus().getMtu() != null);
      int mtu = cluster.tunnel(ns, name).getStatus().getMtu();
      PathMtuIT.checkDfPings(
          example + " over " + underlay + " IPv6",
          onGateway.name(),
          onGateway.ns(),
          ClusterLab.WEB_IPV6_ADDRESS,
          mtu);
      // A member's pod crosses the VXLAN hop first (1500 - 50 on the lab's IPv4 LAN).
      PathMtuIT.checkDfPings(
          example + " over " + underlay + " IPv6",
          onMember.name(),
          onMember.ns(),
          ClusterLab.WEB_IPV6_ADDRESS,
          Math.min(mtu, 1450));
      System.out.printf(
          "[dual-stack egress %s over %s] node-a (gateway) nftables:%n%s%n# ip -6 rule%n%s"
              + "# ip -6 route (table of the Tunnel)%n%s%n",
          example,
          underlay,
          lab.node("node-a").ns().execOk("nft", "list", "table", "inet", "tunnelier"),
          lab.node("node-a").ns().execOk("ip", "-6", "rule"),
          lab.node("node-a")
              .ns()
              .execOk("ip", "-6", "route", "show", "table", "all")
              .lines()
              .filter(l -> l.contains("tnl"))
              .collect(java.util.stream.Collectors.joining("\n")));

      // The kill switch: the gateway's agent dies, its userspace tunnel device with it.
      long leaksBefore = fromNodes(web);
      long dropsBefore = ipv6KillSwitchDrops(lab, "node-a") + ipv6KillSwitchDrops(lab, "node-b");
      cluster.killAgent("node-a");
      String links = lab.node("node-a").ns().execOk("ip", "-br", "link");
      assertThat(links).as("node-a's links once its agent is gone").doesNotContain("tnl-");
      for (int i = 0; i < ATTEMPTS; i++) {
        for (var pod : List.of(onGateway, onMember)) {
          assertThat(lab.sourceSeenBy(pod.ns(), ClusterLab.WEB_IPV6_ADDRESS, ClusterLab.WEB_PORT))
              .as("%s's IPv6 request #%d while the gateway has no tunnel device", pod.name(), i + 1)
              .isNull();
        }
      }
      long leaks = fromNodes(web) - leaksBefore;
      long drops =
          ipv6KillSwitchDrops(lab, "node-a") + ipv6KillSwitchDrops(lab, "node-b") - dropsBefore;
      System.out.printf(
          "[dual-stack egress %s over %s] gateway agent killed: %d IPv6 requests from each selected"
              + " pod failed; the internet host got %d connections from the nodes' IPv6; IPv6"
              + " kill-switch drops +%d%n",
          example, underlay, ATTEMPTS, leaks, drops);
      assertThat(leaks).as("connections from the nodes' own IPv6 (leaks)").isZero();
      assertThat(drops).as("packets the IPv6 kill-switch rules dropped").isPositive();
    }
  }

  /** The IPv6 inner address an IPv4 one embeds to in the default addressPool6. */
  private static String embedded(String ipv4) {
    String[] parts = ipv4.split("/");
    String[] o = parts[0].split("\\.");
    int hi = Integer.parseInt(o[0]) << 8 | Integer.parseInt(o[1]);
    int lo = Integer.parseInt(o[2]) << 8 | Integer.parseInt(o[3]);
    return POOL6
        + Integer.toHexString(hi)
        + ":"
        + Integer.toHexString(lo)
        + "/"
        + (96 + Integer.parseInt(parts[1]));
  }

  private static long fromNodes(Netns web) {
    String listing = web.execOk("nft", "list", "chain", "inet", "lab_web6", "input");
    Matcher m =
        Pattern.compile("counter packets (\\d+) bytes \\d+ comment \"from-nodes\"")
            .matcher(listing);
    if (!m.find()) {
      throw new IllegalStateException("no from-nodes counter in " + listing);
    }
    return Long.parseLong(m.group(1));
  }

  /** What the IPv6 kill-switch rules of a node dropped so far (their counters summed). */
  private static long ipv6KillSwitchDrops(ClusterLab lab, String node) {
    String table = lab.node(node).ns().exec("nft", "list", "table", "inet", "tunnelier").stdout();
    long drops = 0;
    Pattern counter = Pattern.compile("ip6 saddr @pods6_.*counter packets (\\d+) ");
    for (String line : table.split("\n")) {
      Matcher m = counter.matcher(line);
      if (m.find()) {
        drops += Long.parseLong(m.group(1));
      }
    }
    return drops;
  }
}
