package io.tunnelier.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.k8s.TunnelCrd;
import io.tunnelier.operator.config.OperatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Restarting the operator (a new process with empty memory, leader election on) keeps every
 * Tunnel's keys, addresses and gateway, and new Tunnels never get an address already in use.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String LEASE = "tunnelier-operator";

  private final ControlPlane controlPlane;
  private final KubernetesClient admin;
  private final Cluster cluster;
  private final String id = UUID.randomUUID().toString().substring(0, 6);
  private final String operatorNamespace = "tunnelier-rs-" + id;
  private final String namespace = "restart-" + id;
  private final String gatewayLabel = "it.tunnelier.io/gateway-" + id;
  private final String nodeA = "rs-" + id + "-a";
  private final String nodeB = "rs-" + id + "-b";
  private OperatorUnderTest operator;

  OperatorRestartIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.admin = controlPlane.adminClient();
    this.cluster = new Cluster(admin);
  }

  @BeforeAll
  void setUp() {
    TunnelCrd.install(admin);
    cluster.createNamespace(operatorNamespace);
    cluster.createNamespace(namespace);
    cluster.createNode(nodeA, Map.of(gatewayLabel, "true"), "10.246.1.0/24");
    cluster.createNode(nodeB, Map.of(gatewayLabel, "true"), "10.246.2.0/24");
  }

  @AfterAll
  void tearDown() {
    admin.resources(Tunnel.class).inNamespace(namespace).delete();
    await()
        .atMost(WAIT)
        .until(
            () -> admin.resources(Tunnel.class).inNamespace(namespace).list().getItems().isEmpty());
    operator.close();
    cluster.deleteNode(nodeA);
    cluster.deleteNode(nodeB);
    admin.namespaces().withName(namespace).delete();
    admin.namespaces().withName(operatorNamespace).delete();
  }

  private OperatorUnderTest startOperator() {
    return OperatorUnderTest.start(
        controlPlane,
        operatorNamespace,
        OperatorConfig.defaults()
            .withAddressPool("100.96.128.0/24")
            .withFinalizerWait(Duration.ofSeconds(5)),
        LEASE);
  }

  private void createTunnel(String name) {
    cluster.createTunnel(
        namespace,
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: %s}
        spec:
          type: Egress
          encapsulation: WireGuard
          peer: {endpoint: "203.0.113.30:51820"}
          gateway: {nodeSelector: {%s: "true"}}
          egress: {podSelector: {matchLabels: {app: scraper}}}
        """
            .formatted(name, gatewayLabel));
  }

  private boolean settled(String name) {
    Tunnel t = cluster.tunnel(namespace, name);
    return t != null
        && t.getStatus() != null
        && t.getStatus().getPublicKey() != null
        && t.getStatus().getActiveGateway() != null
        && admin.secrets().inNamespace(namespace).withName(name + "-peer-config").get() != null;
  }

  private record Snapshot(
      String tunnelAddress,
      String peerAddress,
      String publicKey,
      String gateway,
      Map<String, String> keys,
      Map<String, String> peerConfig,
      String keysVersion,
      String peerConfigVersion) {}

  private Snapshot snapshot(String name) {
    TunnelStatus s = cluster.tunnel(namespace, name).getStatus();
    Secret keys = admin.secrets().inNamespace(namespace).withName(name + "-keys").get();
    Secret peer = admin.secrets().inNamespace(namespace).withName(name + "-peer-config").get();
    return new Snapshot(
        s.getTunnelAddress(),
        s.getPeerAddress(),
        s.getPublicKey(),
        s.getActiveGateway(),
        keys.getData(),
        peer.getData(),
        keys.getMetadata().getResourceVersion(),
        peer.getMetadata().getResourceVersion());
  }

  @Test
  void restartKeepsKeysAddressesAndGateway() {
    operator = startOperator();
    createTunnel("one");
    createTunnel("two");
    await().atMost(WAIT).until(() -> settled("one") && settled("two"));
    // Make the gateway of "two" differ from what a fresh election would pick.
    cluster.report(namespace, "two", Cluster.healthy(nodeA, NodeRole.GATEWAY, Instant.now()));
    cluster.setReady(nodeA, false);
    await()
        .atMost(WAIT)
        .until(() -> nodeB.equals(cluster.tunnel(namespace, "two").getStatus().getActiveGateway()));
    cluster.setReady(nodeA, true);
    await()
        .atMost(WAIT)
        .until(
            () ->
                List.of(nodeA)
                    .equals(cluster.tunnel(namespace, "two").getStatus().getStandbyGateways()));
    Snapshot one = snapshot("one");
    Snapshot two = snapshot("two");
    assertThat(one.tunnelAddress()).isNotEqualTo(two.tunnelAddress());
    Lease lease = admin.leases().inNamespace(operatorNamespace).withName(LEASE).get();
    assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();

    operator.close();
    operator = startOperator();
    createTunnel("three");
    await().atMost(WAIT).until(() -> settled("three"));
    // The new operator reconciles the old Tunnels as the agents report: nothing may rotate.
    cluster.report(
        namespace, "one", Cluster.healthy(one.gateway(), NodeRole.GATEWAY, Instant.now()));
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster.tunnel(namespace, "one").getStatus().getConditions().stream()
                    .anyMatch(
                        c -> "Ready".equals(c.getType()) && "PeerReachable".equals(c.getReason())));

    assertThat(snapshot("one")).isEqualTo(one);
    assertThat(snapshot("two")).isEqualTo(two);
    assertThat(two.gateway()).isEqualTo(nodeB);
    Set<String> addresses = new HashSet<>();
    for (String name : List.of("one", "two", "three")) {
      TunnelStatus s = cluster.tunnel(namespace, name).getStatus();
      assertThat(addresses.add(s.getTunnelAddress())).as(name + " tunnelAddress unique").isTrue();
      assertThat(addresses.add(s.getPeerAddress())).as(name + " peerAddress unique").isTrue();
    }
  }
}
