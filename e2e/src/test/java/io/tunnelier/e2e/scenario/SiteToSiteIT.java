package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scenario 2, site-to-site: two clusters, each with its own control plane and operator, on two lab
 * sites joined by the lab's internet. Each cluster has a SiteToSite Tunnel (from
 * examples/site-to-site.yaml) whose peer is the other cluster's gateway node; a pod in A reaches a
 * pod in B by pod IP (ping and HTTP, the server seeing the client's own pod IP: no NAT on this
 * path) and back, between gateway and member nodes both ways (members over the VXLAN hop). Both
 * ends are in-cluster agents; no VPS. The lab's nodes masquerade like flannel (pod traffic leaving
 * the pod network, and traffic from outside it to other nodes' pods) and filter reverse paths
 * strictly: the agents keep the pod IPs and send each flow back the way it came.
 *
 * <p>With WireGuard neither Tunnel has spec.address, as in the example: the user only exchanges the
 * public keys, and the two operators derive the same inner /31 from them. Over GRE the user sets
 * spec.address on both sides, one end of a /31 each.
 */
@ExtendWith(ControlPlaneExtension.class)
class SiteToSiteIT {
  private static final int HTTP_PORT = 8080;
  private static final long GRE_KEY = 4300;

  /** GRE has no keys to derive addresses from: the user sets one end of a /31 on each side. */
  private static final String GRE_ADDRESS_A = "100.98.0.0/31";

  private static final String GRE_ADDRESS_B = "100.98.0.1/31";

  /** Cluster B's API server; cluster A uses the extension's. */
  private static ControlPlane controlPlaneB;

  @BeforeAll
  static void startSecondControlPlane() {
    controlPlaneB = ControlPlane.start();
  }

  @AfterAll
  static void stopSecondControlPlane() {
    if (controlPlaneB != null) {
      controlPlaneB.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Encapsulation.class,
      names = {"GRE", "GRE_OVER_UDP", "WIREGUARD"})
  void podsReachEachOtherByPodIp(Encapsulation encapsulation, ControlPlane controlPlaneA) {
    try (ClusterLab siteA = ClusterLab.create(2, false).addIpv6Pods();
        ClusterLab siteB = ClusterLab.secondSite(siteA, 2, false).addIpv6Pods();
        TunnelierCluster a = TunnelierCluster.install(controlPlaneA, siteA, List.of("node-a"));
        TunnelierCluster b = TunnelierCluster.install(controlPlaneB, siteB, List.of("node-a"))) {
      String nsA = a.namespace("sites");
      String nsB = b.namespace("sites");
      var aGateway = a.runPod(nsA, "node-a", "a-gw", Map.of("app", "web"));
      var aMember = a.runPod(nsA, "node-b", "a-member", Map.of("app", "web"));
      var bGateway = b.runPod(nsB, "node-a", "b-gw", Map.of("app", "web"));
      var bMember = b.runPod(nsB, "node-b", "b-member", Map.of("app", "web"));

      // Mirror images: each peer.endpoint is the other gateway node, each remoteCIDRs the other
      // site's pods; over GRE, A takes one end of a /31 and B the other.
      Tunnel toB =
          a.apply(
              siteToSite(
                  nsA,
                  "to-site-b",
                  encapsulation,
                  siteB.node("node-a").address(),
                  List.of(siteB.podSupernet(), siteB.podSupernet6()),
                  List.of(siteA.podSupernet(), siteA.podSupernet6()),
                  GRE_ADDRESS_A));
      Tunnel toA =
          b.apply(
              siteToSite(
                  nsB,
                  "to-site-a",
                  encapsulation,
                  siteA.node("node-a").address(),
                  List.of(siteA.podSupernet(), siteA.podSupernet6()),
                  List.of(siteB.podSupernet(), siteB.podSupernet6()),
                  GRE_ADDRESS_B));
      if (encapsulation == Encapsulation.WIREGUARD) {
        assertThat(toB.getSpec().getAddress()).as("the example sets no address").isNull();
        assertThat(toA.getSpec().getAddress()).isNull();
        awaitReason(a, toB, "PeerPublicKeyMissing");
        awaitReason(b, toA, "PeerPublicKeyMissing");
        exchangePublicKeys(a, toB, b, toA);
        assertMirrorAddresses(a, toB, b, toA);
      }
      a.startAgents();
      b.startAgents();

      for (var server : List.of(aGateway, aMember, bGateway, bMember)) {
        ClusterLab site = server == aGateway || server == aMember ? siteA : siteB;
        site.startEchoServer(server.ns(), server.ip(), HTTP_PORT);
        site.startEchoServer(server.ns(), server.ip6(), HTTP_PORT);
      }
      record Flow(String what, ClusterLab.LabPod from, ClusterLab.LabPod to, TunnelierCluster c) {}
      // To and from members: over the VXLAN hops, through nodes that masquerade like flannel and
      // filter reverse paths strictly (ClusterLab).
      List<Flow> paths =
          List.of(
              new Flow("A gateway -> B gateway", aGateway, bGateway, a),
              new Flow("A member -> B gateway", aMember, bGateway, a),
              new Flow("B gateway -> A gateway", bGateway, aGateway, b),
              new Flow("B member -> A gateway", bMember, aGateway, b),
              new Flow("A gateway -> B member", aGateway, bMember, a),
              new Flow("B gateway -> A member", bGateway, aMember, b),
              new Flow("A member -> B member", aMember, bMember, a),
              new Flow("B member -> A member", bMember, aMember, b));
      for (Flow p : paths) {
        // Both families: the clusters are dual-stack and the Tunnels list both pod networks.
        for (boolean v6 : List.of(false, true)) {
          String from = v6 ? p.from().ip6() : p.from().ip();
          String to = v6 ? p.to().ip6() : p.to().ip();
          Scenarios.await(
              p.c(),
              p.what() + ": " + from + " pings " + to,
              Duration.ofSeconds(120),
              () -> ping(p.from().ns(), to));
          String seen = siteA.sourceSeenBy(p.from().ns(), to, HTTP_PORT);
          System.out.printf(
              "[site-to-site %s] %s: HTTP from %s to %s port %d, the server sees %s%n",
              encapsulation, p.what(), from, to, HTTP_PORT, seen);
          assertThat(seen).as(p.what() + ": the server sees the client's pod IP").isEqualTo(from);
        }
      }
      // IPv6 path MTU between the gateways' pods: the tunnel device's MTU, a DF ping of exactly it
      // passes, one byte more gets ICMPv6 Packet Too Big naming it (from A's gateway node).
      int mtu = a.tunnel(nsA, toB.getMetadata().getName()).getStatus().getMtu();
      PathMtuIT.checkDfPings(
          "site-to-site " + encapsulation + " IPv6",
          aGateway.name(),
          aGateway.ns(),
          bGateway.ip6(),
          mtu);
      if (encapsulation == Encapsulation.WIREGUARD) {
        // What a dual-stack site-to-site gateway and member program, for the docs and the record.
        for (String node : List.of("node-a", "node-b")) {
          Netns n = siteA.node(node).ns();
          System.out.printf(
              "[site-to-site dual-stack] site A %s:%n%s%n# ip -6 rule%n%s%n# ip -6 route show"
                  + " table all (ours)%n%s%n# ip -6 neigh show nud permanent%n%s%n",
              node,
              n.execOk("nft", "list", "table", "inet", "tunnelier"),
              n.ip("-6 rule show"),
              String.join(
                  "\n",
                  n.ip("-6 route show table all").lines().filter(l -> l.contains("tnl")).toList()),
              n.ip("-6 neigh show nud permanent"));
        }
      }
      for (var side : List.of(Map.entry(a, toB), Map.entry(b, toA))) {
        TunnelierCluster c = side.getKey();
        String ns = side.getValue().getMetadata().getNamespace();
        String name = side.getValue().getMetadata().getName();
        Scenarios.await(
            c,
            name + " is Ready with RTT",
            Duration.ofSeconds(90),
            () -> {
              Tunnel t = c.tunnel(ns, name);
              return Scenarios.conditionTrue(t, "Ready")
                  && t.getStatus().getPeer() != null
                  && t.getStatus().getPeer().getRttMillis() != null;
            });
        Tunnel t = c.tunnel(ns, name);
        System.out.printf(
            "[site-to-site %s] %s: Ready (%s), gateway %s, RTT %.2f ms, rx %s B, tx %s B, mtu %s%n",
            encapsulation,
            name,
            Scenarios.condition(t, "Ready").getReason(),
            t.getStatus().getActiveGateway(),
            t.getStatus().getPeer().getRttMillis(),
            t.getStatus().getPeer().getRxBytes(),
            t.getStatus().getPeer().getTxBytes(),
            t.getStatus().getMtu());
      }
      System.out.println(controlPlaneA.kubectl("get", "tunnels", "-n", nsA));
      System.out.println(controlPlaneB.kubectl("get", "tunnels", "-n", nsB));
    }
  }

  /**
   * examples/site-to-site.yaml, pointed at the other site with the given encapsulation; over GRE
   * with {@code greAddress}, over WireGuard without an address, as the example.
   */
  private static Tunnel siteToSite(
      String namespace,
      String name,
      Encapsulation encapsulation,
      String peerGateway,
      List<String> remoteCidrs,
      List<String> localCidrs,
      String greAddress) {
    Tunnel t = TunnelierCluster.example("site-to-site.yaml");
    t.getMetadata().setNamespace(namespace);
    t.getMetadata().setName(name);
    var spec = t.getSpec();
    spec.setEncapsulation(encapsulation);
    spec.getPeer().setPublicKey(null); // WireGuard: the other side's, once it has one
    spec.getPeer().setGreKey(encapsulation == Encapsulation.WIREGUARD ? null : GRE_KEY);
    spec.getPeer()
        .setEndpoint(
            switch (encapsulation) {
              case GRE -> peerGateway;
              case GRE_OVER_UDP -> peerGateway + ":4754";
              case WIREGUARD -> peerGateway + ":51820";
            });
    spec.getSiteToSite().setRemoteCIDRs(remoteCidrs);
    spec.getSiteToSite().setLocalCIDRs(localCidrs);
    if (encapsulation != Encapsulation.WIREGUARD) {
      spec.setAddress(greAddress);
    }
    return t;
  }

  /**
   * The manual step of examples/site-to-site.yaml: each side's {@code status.publicKey} goes into
   * the other side's {@code spec.peer.publicKey}.
   */
  private static void exchangePublicKeys(
      TunnelierCluster a, Tunnel toB, TunnelierCluster b, Tunnel toA) {
    String keyA = a.publicKeyOf(toB);
    String keyB = b.publicKeyOf(toA);
    a.setPeerPublicKey(toB, keyB);
    b.setPeerPublicKey(toA, keyA);
    System.out.printf(
        "[site-to-site WIREGUARD] public keys exchanged: A %s..., B %s...%n",
        keyA.substring(0, 8), keyB.substring(0, 8));
  }

  private static void awaitReason(TunnelierCluster c, Tunnel t, String reason) {
    String ns = t.getMetadata().getNamespace();
    String name = t.getMetadata().getName();
    Scenarios.await(
        c,
        name + " is Ready=False with reason " + reason,
        Duration.ofSeconds(60),
        () -> {
          Tunnel now = c.tunnel(ns, name);
          return now.getStatus() != null
              && now.getStatus().getConditions() != null
              && reason.equals(Scenarios.condition(now, "Ready").getReason());
        });
  }

  /**
   * Each operator derived its end of the same /31 from the two public keys: A's (tunnelAddress,
   * peerAddress) is B's (peerAddress, tunnelAddress), inside the chart's default
   * siteToSiteAddressPool.
   */
  private static void assertMirrorAddresses(
      TunnelierCluster a, Tunnel toB, TunnelierCluster b, Tunnel toA) {
    for (var side : List.of(Map.entry(a, toB), Map.entry(b, toA))) {
      Tunnel t = side.getValue();
      Scenarios.await(
          side.getKey(),
          t.getMetadata().getName() + " has addresses derived from the keys",
          Duration.ofSeconds(60),
          () ->
              side.getKey()
                      .tunnel(t.getMetadata().getNamespace(), t.getMetadata().getName())
                      .getStatus()
                      .getPeerAddress()
                  != null);
    }
    TunnelStatus statusA =
        a.tunnel(toB.getMetadata().getNamespace(), toB.getMetadata().getName()).getStatus();
    TunnelStatus statusB =
        b.tunnel(toA.getMetadata().getNamespace(), toA.getMetadata().getName()).getStatus();
    System.out.printf(
        "[site-to-site WIREGUARD] derived addresses: A %s (peer %s), B %s (peer %s)%n",
        statusA.getTunnelAddress(),
        statusA.getPeerAddress(),
        statusB.getTunnelAddress(),
        statusB.getPeerAddress());
    assertThat(statusA.getTunnelAddress()).isEqualTo(statusB.getPeerAddress());
    assertThat(statusA.getPeerAddress()).isEqualTo(statusB.getTunnelAddress());
    assertThat(statusA.getTunnelAddress()).startsWith("100.97.").endsWith("/31");
    assertThat(statusA.getTunnelAddress()).isNotEqualTo(statusA.getPeerAddress());
  }

  private static boolean ping(Netns from, String to) {
    return from.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", to).exitCode() == 0;
  }
}
