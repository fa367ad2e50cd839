package io.tunnelier.cli;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Plain objects for the unit tests: a healthy egress Tunnel as docs/status.md shows one. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-22T03:06:00Z");

  private Fixtures() {}

  static Tunnel healthy() {
    return Serialization.unmarshal(
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: egress-nyc, namespace: scraping, generation: 1}
        spec:
          type: Egress
          encapsulation: WireGuard
          peer: {endpoint: "203.0.113.10:51820"}
          gateway: {nodeSelector: {tunnelier.io/gateway: "true"}}
          egress: {podSelector: {matchLabels: {app: scraper}}}
        status:
          observedGeneration: 1
          conditions:
          - {type: Ready, status: "True", reason: PeerReachable, message: "the peer answers through the tunnel from gateway node-a"}
          - {type: Degraded, status: "False", reason: AsExpected, message: "nothing is wrong"}
          activeGateway: node-a
          standbyGateways: [node-b]
          tunnelAddress: 100.96.0.2/31
          peerAddress: 100.96.0.3/31
          mtu: 1420
          peer: {endpoint: "203.0.113.10:51820", lastHandshakeTime: "2026-11-22T03:05:48Z", rttMillis: 23.4, lossPercent: 0.0, rxBytes: 1048576, txBytes: 524288}
          detour: {directRttMillis: 18.2, viaTunnelRttMillis: 23.4}
          selectedPods: 2
          nodes:
          - name: node-a
            role: Gateway
            datapath: Kernel
            lastUpdateTime: "2026-11-22T03:05:53Z"
            mtu: 1420
            rttMillis: 23.4
            peerEndpoint: "203.0.113.10:51820"
            lastHandshakeTime: "2026-11-22T03:05:48Z"
            lossPercent: 0.0
            directRttMillis: 18.2
            conditions:
            - {type: LinkUp, status: "True", reason: DeviceUp, message: up}
            - {type: RoutesProgrammed, status: "True", reason: Programmed, message: ok}
            - {type: NATProgrammed, status: "True", reason: Programmed, message: ok}
            - {type: PeerReachable, status: "True", reason: EchoReplied, message: ok}
          - name: node-b
            role: Standby
            datapath: Userspace
            lastUpdateTime: "2026-11-22T03:05:50Z"
            mtu: 1420
            conditions:
            - {type: LinkUp, status: "True", reason: DeviceUp, message: up}
            - {type: RoutesProgrammed, status: "True", reason: Programmed, message: ok}
            - {type: NATProgrammed, status: "True", reason: Programmed, message: ok}
        """,
        Tunnel.class);
  }

  static Node node(String name, boolean ready, Map<String, String> labels) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  static List<Node> twoGatewayNodes() {
    return List.of(
        node("node-a", true, Map.of("tunnelier.io/gateway", "true")),
        node("node-b", true, Map.of("tunnelier.io/gateway", "true")));
  }

  static Pod agentPod(String node, String phase, String waitingReason) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName("tunnelier-node-agent-" + node)
            .withNamespace("tunnelier-system")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .endSpec();
    var status = b.withNewStatus().withPhase(phase);
    if (waitingReason != null) {
      status
          .addNewContainerStatus()
          .withName("agent")
          .withNewState()
          .withNewWaiting()
          .withReason(waitingReason)
          .endWaiting()
          .endState()
          .endContainerStatus();
    }
    return status.endStatus().build();
  }

  static Snapshot snapshot(Tunnel t) {
    return Snapshot.of(t, NOW)
        .withNodes(twoGatewayNodes())
        .withAgentPods(List.of())
        .withLeaseRenewals(java.util.Map.of()) // readable, none: agents without heartbeats
        .withPeerConfigKeys(Set.of("peer.yaml", "wg0.conf", "peerPublicKey"));
  }
}
