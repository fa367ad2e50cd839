package io.tunnelier.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.k8s.TunnelCrd;
import io.tunnelier.operator.config.OperatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only the cluster knows, the operator refuses, against a real API server: remoteCIDRs over a
 * Node's pod range, an egress destination inside the configured service range, and a GRE key an
 * older Tunnel on the same gateway already uses. Each refused Tunnel says what to change in its
 * condition and a Warning Event and gets no gateway; the valid Tunnel next to them becomes Ready,
 * and fixing a refused one lets it progress.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpecRefusalsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SERVICE_RANGE = "100.82.0.0/16";
  private static final String SERVICE_RANGE6 = "fd00:82::/112";

  private final ControlPlane controlPlane;
  private final KubernetesClient admin;
  private final Cluster cluster;
  private final String id = UUID.randomUUID().toString().substring(0, 6);
  private final String operatorNamespace = "tunnelier-refuse-" + id;
  private final String namespace = "refuse-" + id;
  private final String gatewayLabel = "it.tunnelier.io/gateway-" + id;
  private final String node = "refuse-" + id + "-a";
  // Random, so that the Nodes of ITs running next to this one do not hold it.
  private final String podCidr = "100.81." + ThreadLocalRandom.current().nextInt(256) + ".0/24";
  private OperatorUnderTest operator;

  SpecRefusalsIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.admin = controlPlane.adminClient();
    this.cluster = new Cluster(admin);
  }

  @BeforeAll
  void start() {
    TunnelCrd.install(admin);
    cluster.createNamespace(operatorNamespace);
    cluster.createNamespace(namespace);
    cluster.createNode(node, Map.of(gatewayLabel, "yes"), podCidr);
    operator =
        OperatorUnderTest.start(
            controlPlane,
            operatorNamespace,
            OperatorConfig.defaults()
                .withAddressPools("100.97.16.0/24", "100.97.32.0/24")
                .withClusterCidrs(List.of(SERVICE_RANGE, SERVICE_RANGE6))
                .withFinalizerWait(Duration.ofSeconds(5)),
            null);
  }

  @AfterAll
  void stop() {
    admin.resources(Tunnel.class).inNamespace(namespace).delete();
    await()
        .atMost(WAIT)
        .until(
            () -> admin.resources(Tunnel.class).inNamespace(namespace).list().getItems().isEmpty());
    operator.close();
    cluster.deleteNode(node);
    admin.namespaces().withName(namespace).delete();
    admin.namespaces().withName(operatorNamespace).delete();
  }

  private void egressGre(String name, long greKey, String destination) {
    cluster.createTunnel(
        namespace,
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: %s}
        spec:
          type: Egress
          encapsulation: GRE
          peer: {endpoint: "203.0.113.50", greKey: %d}
          gateway: {nodeSelector: {%s: "yes"}}
          egress:
            podSelector: {matchLabels: {app: scraper}}
            destinations: ["%s"]
        """
            .formatted(name, greKey, gatewayLabel, destination));
  }

  private Optional<Condition> condition(String tunnel, String type) {
    Tunnel t = cluster.tunnel(namespace, tunnel);
    if (t == null || t.getStatus() == null || t.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return t.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private String ready(String tunnel) {
    return condition(tunnel, "Ready").map(c -> c.getStatus() + "/" + c.getReason()).orElse(null);
  }

  private void assertWarningEvent(String tunnel, String reason, String message) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(cluster.events(namespace, tunnel))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo(reason);
                          assertThat(e.getMessage()).isEqualTo(message);
                        }));
  }

  @Test
  void refusedTunnelsSayWhatToChangeAndTheValidOneWorks() {
    egressGre("good", 4242, "0.0.0.0/0");
    await().atMost(WAIT).until(() -> "False/WaitingForAgents".equals(ready("good")));

    // SiteToSite remoteCIDRs over this cluster's pod range (a Node's spec.podCIDRs).
    cluster.createTunnel(
        namespace,
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: pods-away}
        spec:
          type: SiteToSite
          encapsulation: WireGuard
          peer: {endpoint: "203.0.113.51:51820", publicKey: "%s"}
          gateway: {nodeSelector: {%s: "yes"}}
          siteToSite: {remoteCIDRs: ["203.0.113.0/24", "%s"]}
        """
            .formatted("HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=", gatewayLabel, podCidr));
    await().atMost(WAIT).until(() -> "False/ClusterRangeOverlap".equals(ready("pods-away")));
    String podsMessage =
        "spec.siteToSite.remoteCIDRs[1] "
            + podCidr
            + " overlaps this cluster's pod range "
            + podCidr
            + " (Node "
            + node
            + "): traffic for it would leave the cluster through the tunnel; remove it or narrow"
            + " it to the other site's ranges";
    assertThat(condition("pods-away", "Ready").orElseThrow().getMessage()).isEqualTo(podsMessage);
    assertThat(condition("pods-away", "Degraded").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(cluster.tunnel(namespace, "pods-away").getStatus().getActiveGateway())
        .as("no gateway, so no agent routes anything for it")
        .isNull();
    assertWarningEvent("pods-away", "ClusterRangeOverlap", podsMessage);
    System.out.println(
        "=== status of a refused Tunnel ===\n"
            + Cluster.statusYaml(cluster.tunnel(namespace, "pods-away")));

    // An egress destination inside the service range of the operator's clusterCIDRs.
    egressGre("to-services", 4343, "100.82.0.10/32");
    await().atMost(WAIT).until(() -> "False/ClusterRangeOverlap".equals(ready("to-services")));
    assertThat(condition("to-services", "Ready").orElseThrow().getMessage())
        .startsWith(
            "spec.egress.destinations[0] 100.82.0.10/32 lies inside this cluster's range "
                + SERVICE_RANGE
                + " (clusterCIDRs in the operator configuration)");

    // The same with the IPv6 service range of a dual-stack cluster.
    egressGre("to-services6", 4545, "fd00:82::10/128");
    await().atMost(WAIT).until(() -> "False/ClusterRangeOverlap".equals(ready("to-services6")));
    assertThat(condition("to-services6", "Ready").orElseThrow().getMessage())
        .startsWith(
            "spec.egress.destinations[0] fd00:82::10/128 lies inside this cluster's range "
                + SERVICE_RANGE6
                + " (clusterCIDRs in the operator configuration)");

    // The same GRE key as the older "good", whose gateway is on the same node.
    egressGre("same-key", 4242, "0.0.0.0/0");
    await().atMost(WAIT).until(() -> "False/GreKeyConflict".equals(ready("same-key")));
    String keyMessage =
        "Tunnel "
            + namespace
            + "/good (older) already uses GRE key 4242 and its gateway may be on "
            + node
            + ", as this one's: a gateway tells GRE tunnels apart by their key; set another"
            + " spec.peer.greKey here and on the far end, or give the two"
            + " spec.gateway.nodeSelector values that pick different nodes";
    assertThat(condition("same-key", "Ready").orElseThrow().getMessage()).isEqualTo(keyMessage);
    assertWarningEvent("same-key", "GreKeyConflict", keyMessage);
    assertThat(cluster.tunnel(namespace, "same-key").getStatus().getActiveGateway()).isNull();

    // None of that touched the older Tunnel: it keeps its gateway and becomes Ready.
    assertThat(cluster.tunnel(namespace, "good").getStatus().getActiveGateway()).isEqualTo(node);
    cluster.report(namespace, "good", Cluster.healthy(node, NodeRole.GATEWAY, Instant.now()));
    await().atMost(WAIT).until(() -> "True/PeerReachable".equals(ready("good")));

    // Doing what the message says lets the refused Tunnel progress.
    admin
        .resources(Tunnel.class)
        .inNamespace(namespace)
        .withName("same-key")
        .edit(
            t -> {
              t.getSpec().getPeer().setGreKey(4244L);
              return t;
            });
    await().atMost(WAIT).until(() -> "False/WaitingForAgents".equals(ready("same-key")));
    assertThat(cluster.tunnel(namespace, "same-key").getStatus().getActiveGateway())
        .isEqualTo(node);
    assertThat(ready("good")).isEqualTo("True/PeerReachable");
  }
}
