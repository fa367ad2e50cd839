package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.peerconfig.HostPort;
import io.tunnelier.api.v1alpha1.NodeStatus;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway reaches its VPS over IPv6 only (issue 17): {@code peer.endpoint} is the VPS's [IPv6]
 * address, the pods' traffic inside is IPv4. The wan router counts the underlay by family: IPv6
 * packets to the VPS, no IPv4 ones, and no IPv6 fragments, because the tunnel MTU leaves room for
 * the 40-byte IPv6 header on both ends (1500 - 80 for WireGuard, - 56 for GRE-in-UDP, - 48 for raw
 * GRE, IP protocol 47 in IPv6): a DF ping of exactly that size crosses, one byte more gets
 * "fragmentation needed" naming it.
 */
@ExtendWith(ControlPlaneExtension.class)
class Ipv6UnderlayIT {
  private static final Pattern COUNTER = Pattern.compile("counter packets (\\d+)");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"egress-wireguard.yaml", "egress-gre-over-udp.yaml", "egress-gre.yaml"})
  void theGatewayReachesItsVpsOverIpv6(String example, ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      lab.addIpv6Underlay();
      Netns wan = lab.wan();
      Exec.run(
              Duration.ofSeconds(10),
              wan.wrap("nft", "-f", "-"),
              ("table inet lab_underlay {\n chain forward {\n"
                      + " type filter hook forward priority 0;\n"
                      // From the cluster's side only: the web host's answers to the VPS's
                      // masqueraded requests are IPv4 to it too, but they are not the tunnel.
                      + " iifname \"to-edge\" ip daddr "
                      + ClusterLab.VPS_ADDRESS
                      + " counter comment \"ipv4-to-vps\"\n"
                      + " iifname \"to-edge\" ip6 daddr "
                      + ClusterLab.VPS_IPV6_ADDRESS
                      + " counter comment \"ipv6-to-vps\"\n"
                      + " exthdr frag exists counter comment \"ipv6-fragments\"\n }\n}\n")
                  .getBytes())
          .orThrow();
      String ns = cluster.namespace("scraping");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var onMember = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));

      Tunnel loaded = cluster.loadExample(example, ns);
      int port = HostPort.parse(loaded.getSpec().getPeer().getEndpoint()).port();
      // Raw GRE has no port: the bracketed address alone.
      String endpoint = "[" + ClusterLab.VPS_IPV6_ADDRESS + "]" + (port == 0 ? "" : ":" + port);
      loaded.getSpec().getPeer().setEndpoint(endpoint);
      // The lab's internet host is in 203.0.113.0/24, outside the GRE-in-UDP example's list.
      loaded.getSpec().getEgress().setDestinations(List.of("0.0.0.0/0"));
      String name = cluster.apply(loaded).getMetadata().getName();
      Scenarios.startEgress(cluster, ns, name, onGateway);
      Scenarios.await(
          cluster,
          "the member's pod leaves through the VPS",
          Duration.ofSeconds(60),
          () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(onMember.ns())));
      Scenarios.await(
          cluster,
          "the Tunnel is Ready with its MTU",
          Duration.ofSeconds(90),
          () -> {
            Tunnel t = cluster.tunnel(ns, name);
            return Scenarios.conditionTrue(t, "Ready") && t.getStatus().getMtu() != null;
          });
      Tunnel ready = cluster.tunnel(ns, name);
      // IPv6 40, then UDP 8 + WireGuard 32, UDP 8 + GRE with key 8, or GRE with key 8.
      int expectedMtu =
          switch (loaded.getSpec().getEncapsulation()) {
            case WIREGUARD -> 1500 - 40 - 8 - 32;
            case GRE_OVER_UDP -> 1500 - 40 - 8 - 8;
            case GRE -> 1500 - 40 - 8;
          };
      assertThat(ready.getStatus().getMtu()).as("status.mtu").isEqualTo(expectedMtu);
      NodeStatus gateway =
          ready.getStatus().getNodes().stream()
              .filter(n -> n.getName().equals("node-a"))
              .findFirst()
              .orElseThrow();
      assertThat(gateway.getPeerEndpoint()).isEqualTo(endpoint);

      PathMtuIT.checkDfPings(example, onGateway.name(), onGateway.ns(), expectedMtu);
      String counters = wan.execOk("nft", "list", "table", "inet", "lab_underlay");
      System.out.printf(
          "[ipv6 underlay %s] endpoint %s, status.mtu %d; at the wan router: %d IPv6 packets"
              + " to the VPS, %d IPv4, %d IPv6 fragments%n",
          example,
          endpoint,
          ready.getStatus().getMtu(),
          counted(counters, "ipv6-to-vps"),
          counted(counters, "ipv4-to-vps"),
          counted(counters, "ipv6-fragments"));
      assertThat(counted(counters, "ipv6-to-vps")).as("IPv6 packets to the VPS").isPositive();
      assertThat(counted(counters, "ipv4-to-vps")).as("IPv4 packets to the VPS").isZero();
      assertThat(counted(counters, "ipv6-fragments")).as("IPv6 fragments").isZero();
    }
  }

  private static long counted(String listing, String comment) {
    for (String line : listing.split("\n")) {
      if (line.contains("comment \"" + comment + "\"")) {
        Matcher m = COUNTER.matcher(line);
        if (m.find()) {
          return Long.parseLong(m.group(1));
        }
      }
    }
    throw new AssertionError("no counter " + comment + " in\n" + listing);
  }
}
