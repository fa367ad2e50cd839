package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.agent.plan.Capabilities;
import io.tunnelier.agent.plan.ClusterPlanner;
import io.tunnelier.agent.plan.ClusterSnapshot;
import io.tunnelier.agent.plan.NodeContext;
import io.tunnelier.agent.plan.TunnelPlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster objects as YAML, reduced to what the planner needs; keys as the operator stores them. */
class FileClusterViewTest {
  static final String PRIVATE = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
  static final String PEER_PUBLIC = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void theOperatorGeneratedPeersPublicKeyComesFromThePeerConfigSecret(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("cluster.yaml");
    Files.writeString(
        file,
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: egress-nyc, namespace: scraping}
        spec:
          type: Egress
          encapsulation: WireGuard
          peer: {endpoint: "203.0.113.10:51820", publicKey: ""}
          egress: {podSelector: {matchLabels: {app: scraper}}}
        status: {activeGateway: node-a, tunnelAddress: 100.96.0.2/31, peerAddress: 100.96.0.3/31}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: egress-nyc-keys, namespace: scraping}
        data: {privateKey: %s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: egress-nyc-peer-config, namespace: scraping}
        data: {peerPublicKey: %s, peer.yaml: %s}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-a}
        spec: {podCIDRs: [100.64.1.0/24]}
        status: {addresses: [{type: Hostname, address: node-a}, {type: InternalIP, address: 192.0.2.11}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: scraper, namespace: scraping, labels: {app: scraper}}
        spec: {nodeName: node-a, hostNetwork: false, containers: [{name: c, image: x}]}
        status: {phase: Running, podIP: 100.64.1.5}
        """
            .formatted(b64(PRIVATE), b64(PEER_PUBLIC), b64("not read")));
    ClusterSnapshot snapshot;
    try (FileClusterView view = new FileClusterView(file)) {
      snapshot = view.snapshot();
    }
    assertThat(snapshot.nodes())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.internalIp()).isEqualTo("192.0.2.11");
              assertThat(n.podCidrs()).containsExactly("100.64.1.0/24");
            });
    assertThat(snapshot.pods()).singleElement().satisfies(p -> assertThat(p.routable()).isTrue());
    List<TunnelPlan> plans =
        ClusterPlanner.plan(
            snapshot,
            new NodeContext(
                "node-a",
                new Underlay("eth0", 1500, "192.0.2.11"),
                Capabilities.NO_TUNNEL_MODULES,
                List.of(),
                4789));
    assertThat(plans.get(0).problem()).isNull();
    assertThat(plans.get(0).device().config())
        .isInstanceOfSatisfying(
            DatapathConfig.WireGuard.class,
            wg -> {
              assertThat(wg.peerPublicKey()).isEqualTo(Base64.getDecoder().decode(PEER_PUBLIC));
              assertThat(wg.privateKey()).isEqualTo(Base64.getDecoder().decode(PRIVATE));
              assertThat(wg.listenPort()).isZero();
              assertThat(wg.keepaliveSeconds()).isEqualTo(25);
            });
    assertThat(plans.get(0).device().mtu()).isEqualTo(1440);
  }
}
