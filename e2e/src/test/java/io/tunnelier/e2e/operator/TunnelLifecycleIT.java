package io.tunnelier.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.keys.X25519Keys;
import io.tunnelier.api.peerconfig.StandaloneConfig;
import io.tunnelier.api.peerconfig.StandaloneTunnel;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.k8s.TunnelCrd;
import io.tunnelier.operator.config.OperatorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Create, update and delete a Tunnel with the real operator against a real API server: the node
 * agent DaemonSet, both Secrets, the status as agents report, and the finalizer.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TunnelLifecycleIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ControlPlane controlPlane;
  private final KubernetesClient admin;
  private final Cluster cluster;
  private final String id = UUID.randomUUID().toString().substring(0, 6);
  private final String operatorNamespace = "tunnelier-life-" + id;
  private final String namespace = "scraping-" + id;
  private final String gatewayLabel = "it.tunnelier.io/gateway-" + id;
  private final String nodeA = "life-" + id + "-a";
  private final String nodeB = "life-" + id + "-b";
  private OperatorUnderTest operator;

  TunnelLifecycleIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.admin = controlPlane.adminClient();
    this.cluster = new Cluster(admin);
  }

  @BeforeAll
  void startOperator() {
    TunnelCrd.install(admin);
    cluster.createNamespace(operatorNamespace);
    cluster.createNamespace(namespace);
    cluster.createNode(nodeA, Map.of(gatewayLabel, "true"), "10.244.1.0/24");
    cluster.createNode(nodeB, Map.of(gatewayLabel, "true"), "10.244.2.0/24");
    operator =
        OperatorUnderTest.start(
            controlPlane,
            operatorNamespace,
            OperatorConfig.defaults()
                .withAddressPool("100.96.0.0/16")
                .withFinalizerWait(Duration.ofSeconds(60)),
            null);
  }

  @AfterAll
  void stopOperator() {
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

  private String tunnelYaml(String name, int keepalive) {
    return """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: %s}
        spec:
          type: Egress
          encapsulation: WireGuard
          peer: {endpoint: "203.0.113.10:51820", publicKey: "", keepaliveSeconds: %d}
          gateway: {nodeSelector: {%s: "true"}}
          egress: {podSelector: {matchLabels: {app: scraper}}}
        """
        .formatted(name, keepalive, gatewayLabel);
  }

  private Optional<Condition> condition(Tunnel t, String type) {
    if (t == null || t.getStatus() == null || t.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return t.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private String reason(String name, String type) {
    return condition(cluster.tunnel(namespace, name), type).map(Condition::getReason).orElse(null);
  }

  private Secret secret(String name) {
    return admin.secrets().inNamespace(namespace).withName(name).get();
  }

  private static String decoded(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void createUpdateDelete() {
    cluster.createTunnel(namespace, tunnelYaml("egress-nyc", 25));

    // The shared DaemonSet, in the operator's namespace, without owner.
    await()
        .atMost(WAIT)
        .until(
            () ->
                admin
                        .apps()
                        .daemonSets()
                        .inNamespace(operatorNamespace)
                        .withName("tunnelier-node-agent")
                        .get()
                    != null);
    DaemonSet ds =
        admin
            .apps()
            .daemonSets()
            .inNamespace(operatorNamespace)
            .withName("tunnelier-node-agent")
            .get();
    assertThat(ds.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(ds.getSpec().getTemplate().getSpec().getHostNetwork()).isTrue();
    assertThat(
            ds.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getSecurityContext()
                .getCapabilities()
                .getAdd())
        .containsExactly("NET_ADMIN", "NET_RAW");

    // Both Secrets, owned by the Tunnel.
    await()
        .atMost(WAIT)
        .until(() -> secret("egress-nyc-keys") != null && secret("egress-nyc-peer-config") != null);
    Tunnel created = cluster.tunnel(namespace, "egress-nyc");
    Secret keys = secret("egress-nyc-keys");
    Secret peerConfig = secret("egress-nyc-peer-config");
    for (Secret s : List.of(keys, peerConfig)) {
      assertThat(s.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid()));
      assertThat(s.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "tunnelier-operator")
          .containsEntry("tunnelier.io/tunnel", "egress-nyc");
    }
    String clusterPublic = X25519Keys.fromPrivateKey(decoded(keys, "privateKey")).publicKey();

    // Status: addresses, this end's public key, the gateway; waiting for the agent.
    await().atMost(WAIT).until(() -> "WaitingForAgents".equals(reason("egress-nyc", "Ready")));
    Tunnel waiting = cluster.tunnel(namespace, "egress-nyc");
    assertThat(waiting.getMetadata().getFinalizers()).contains("tunnelier.io/cleanup");
    assertThat(waiting.getStatus().getPublicKey()).isEqualTo(clusterPublic);
    assertThat(waiting.getStatus().getTunnelAddress()).matches("100\\.96\\.\\d+\\.\\d+/31");
    assertThat(waiting.getStatus().getActiveGateway()).isEqualTo(nodeA);
    assertThat(waiting.getStatus().getStandbyGateways()).containsExactly(nodeB);
    assertThat(waiting.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(waiting.getStatus().toString()).doesNotContain(decoded(keys, "privateKey"));

    // The peer config: the standalone agent's file and a wg-quick file that fit this end.
    StandaloneConfig peerYaml =
        Serialization.unmarshal(decoded(peerConfig, "peer.yaml"), StandaloneConfig.class);
    StandaloneTunnel far = peerYaml.getTunnels().get(0);
    assertThat(far.getName()).isEqualTo(namespace + "/egress-nyc");
    assertThat(far.getPeerPublicKey()).isEqualTo(clusterPublic);
    assertThat(far.getAddress()).isEqualTo(waiting.getStatus().getPeerAddress());
    assertThat(far.getPeerAddress()).isEqualTo(waiting.getStatus().getTunnelAddress());
    assertThat(X25519Keys.fromPrivateKey(far.getPrivateKey()).publicKey())
        .isEqualTo(decoded(peerConfig, "peerPublicKey"));
    assertThat(decoded(peerConfig, "wg0.conf"))
        .contains("PrivateKey = " + far.getPrivateKey())
        .contains("Address = " + waiting.getStatus().getPeerAddress())
        .contains("ListenPort = 51820")
        .contains("PublicKey = " + clusterPublic)
        .contains("PersistentKeepalive = 25")
        .doesNotContain("\nEndpoint =");

    // The agents report: the gateway reaches the peer, the standby is ready.
    Instant since = Instant.now().minusSeconds(5);
    cluster.report(namespace, "egress-nyc", Cluster.healthy(nodeA, NodeRole.GATEWAY, since));
    cluster.report(namespace, "egress-nyc", Cluster.healthy(nodeB, NodeRole.STANDBY, since));
    await().atMost(WAIT).until(() -> "PeerReachable".equals(reason("egress-nyc", "Ready")));
    Tunnel healthy = cluster.tunnel(namespace, "egress-nyc");
    assertThat(condition(healthy, "Ready").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(condition(healthy, "Degraded").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(condition(healthy, "Progressing").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(healthy.getStatus().getPeer().getRttMillis()).isEqualTo(23.4);
    assertThat(healthy.getStatus().getPeer().getEndpoint()).isEqualTo("203.0.113.10:51820");
    assertThat(healthy.getStatus().getPeer().getLossPercent()).isEqualTo(0.5);
    assertThat(healthy.getStatus().getPeer().getLastHandshakeTime()).isNotNull();
    assertThat(healthy.getStatus().getDetour().getDirectRttMillis()).isEqualTo(18.2);
    assertThat(healthy.getStatus().getDetour().getViaTunnelRttMillis()).isEqualTo(23.4);
    assertThat(healthy.getStatus().getMtu()).isEqualTo(1420);
    // The operator's writes left the agents' entries alone, and own none of them.
    assertThat(healthy.getStatus().getNodes())
        .extracting(NodeStatus::getName)
        .containsExactlyInAnyOrder(nodeA, nodeB);
    assertThat(healthy.getMetadata().getManagedFields())
        .filteredOn(m -> "tunnelier-operator".equals(m.getManager()))
        .allSatisfy(
            m -> assertThat(Serialization.asJson(m.getFieldsV1())).doesNotContain("f:nodes"));
    assertThat(healthy.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager)
        .contains("tunnelier-agent/" + nodeA, "tunnelier-agent/" + nodeB, "tunnelier-operator");
    System.out.println("=== status of a healthy Tunnel ===\n" + Cluster.statusYaml(healthy));
    String table = controlPlane.kubectl("get", "tunnels", "-n", namespace);
    System.out.println("=== kubectl get tunnels ===\n" + table);
    assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "TYPE", "ENCAP", "GATEWAY", "PEER", "READY", "RTT", "AGE");
    assertThat(table)
        .containsPattern(
            "egress-nyc\\s+Egress\\s+WireGuard\\s+"
                + nodeA
                + "\\s+203.0.113.10:51820\\s+True\\s+23.4");

    // Ready's transition time stays while Ready stays True, even as the agents keep writing.
    String readySince = condition(healthy, "Ready").orElseThrow().getLastTransitionTime();
    // (News, not a new RTT: measurements alone reach status.peer at most once a minute.)
    NodeStatus later = Cluster.healthy(nodeA, NodeRole.GATEWAY, since);
    later.setRttMillis(30.1);
    later.setMtu(1380);
    cluster.report(namespace, "egress-nyc", later);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Integer.valueOf(1380)
                    .equals(cluster.tunnel(namespace, "egress-nyc").getStatus().getMtu()));
    assertThat(cluster.tunnel(namespace, "egress-nyc").getStatus().getPeer().getRttMillis())
        .as("written with the news: the measurements go along")
        .isEqualTo(30.1);
    assertThat(
            condition(cluster.tunnel(namespace, "egress-nyc"), "Ready")
                .orElseThrow()
                .getLastTransitionTime())
        .isEqualTo(readySince);
    assertThat(cluster.events(namespace, "egress-nyc"))
        .extracting(e -> e.getType() + "/" + e.getReason())
        .contains("Normal/GatewayElected", "Normal/WaitingForAgents", "Normal/PeerReachable");

    // Update: the peer config follows the spec; keys and addresses stay.
    Tunnel edited = cluster.tunnel(namespace, "egress-nyc");
    edited.getSpec().getPeer().setKeepaliveSeconds(10);
    admin.resources(Tunnel.class).inNamespace(namespace).resource(edited).update();
    await()
        .atMost(WAIT)
        .until(
            () ->
                decoded(secret("egress-nyc-peer-config"), "wg0.conf")
                    .contains("PersistentKeepalive = 10"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster.tunnel(namespace, "egress-nyc").getStatus().getObservedGeneration() == 2L);
    assertThat(secret("egress-nyc-keys").getData()).isEqualTo(keys.getData());
    assertThat(
            Serialization.unmarshal(
                    decoded(secret("egress-nyc-peer-config"), "peer.yaml"), StandaloneConfig.class)
                .getTunnels()
                .get(0)
                .getPrivateKey())
        .isEqualTo(far.getPrivateKey());
    assertThat(cluster.tunnel(namespace, "egress-nyc").getStatus().getTunnelAddress())
        .isEqualTo(waiting.getStatus().getTunnelAddress());

    // Delete: the finalizer holds the Tunnel until every agent reports its state removed.
    admin.resources(Tunnel.class).inNamespace(namespace).withName("egress-nyc").delete();
    await().atMost(WAIT).until(() -> "Deleting".equals(reason("egress-nyc", "Ready")));
    assertThat(
            condition(cluster.tunnel(namespace, "egress-nyc"), "Ready").orElseThrow().getMessage())
        .contains(nodeA)
        .contains(nodeB);
    NodeStatus removedA = Cluster.healthy(nodeA, NodeRole.GATEWAY, since);
    removedA.setConditions(
        List.of(Cluster.condition("StateRemoved", true, "Removed", Instant.now())));
    cluster.report(namespace, "egress-nyc", removedA);
    // One agent still has state: the Tunnel stays.
    await()
        .atMost(WAIT)
        .until(
            () ->
                condition(cluster.tunnel(namespace, "egress-nyc"), "Ready")
                    .map(Condition::getMessage)
                    .orElse("")
                    .contains("on " + nodeB));
    assertThat(cluster.tunnel(namespace, "egress-nyc")).isNotNull();
    NodeStatus removedB = Cluster.healthy(nodeB, NodeRole.STANDBY, since);
    removedB.setConditions(
        List.of(Cluster.condition("StateRemoved", true, "Removed", Instant.now())));
    cluster.report(namespace, "egress-nyc", removedB);
    await().atMost(WAIT).until(() -> cluster.tunnel(namespace, "egress-nyc") == null);

    // The garbage collector removes the Secrets; the operator removes the unused DaemonSet.
    await()
        .atMost(WAIT)
        .until(() -> secret("egress-nyc-keys") == null && secret("egress-nyc-peer-config") == null);
    await()
        .atMost(WAIT)
        .until(
            () ->
                admin
                        .apps()
                        .daemonSets()
                        .inNamespace(operatorNamespace)
                        .withName("tunnelier-node-agent")
                        .get()
                    == null);
  }

  @Test
  @Order(2)
  void deletionIsReleasedAfterTheWaitWhenAnAgentNeverReports() {
    // Restarted with a short finalizerWait for this case.
    operator.close();
    operator =
        OperatorUnderTest.start(
            controlPlane,
            operatorNamespace,
            OperatorConfig.defaults().withFinalizerWait(Duration.ofSeconds(3)),
            null);
    cluster.createTunnel(namespace, tunnelYaml("stuck", 25));
    await().atMost(WAIT).until(() -> reason("stuck", "Ready") != null);
    // The first Tunnel after the last one was deleted brings the node agents back.
    await()
        .atMost(WAIT)
        .until(
            () ->
                admin
                        .apps()
                        .daemonSets()
                        .inNamespace(operatorNamespace)
                        .withName("tunnelier-node-agent")
                        .get()
                    != null);
    cluster.report(namespace, "stuck", Cluster.healthy(nodeA, NodeRole.GATEWAY, Instant.now()));
    await().atMost(WAIT).until(() -> "PeerReachable".equals(reason("stuck", "Ready")));

    admin.resources(Tunnel.class).inNamespace(namespace).withName("stuck").delete();
    await().atMost(WAIT).until(() -> cluster.tunnel(namespace, "stuck") == null);
    assertThat(cluster.events(namespace, "stuck"))
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("CleanupTimedOut");
              assertThat(e.getMessage()).contains(nodeA);
            });
  }

  /**
   * A new Tunnel's status is written whole when nothing the workflow makes changes it (a GRE
   * Tunnel: one version with its addresses, gateway and conditions, not the addresses first); a
   * WireGuard Tunnel's gateway is named only with its public key, so no agent is sent to program it
   * before its keys Secret exists.
   */
  @Test
  @Order(3)
  void aNewTunnelsStatusIsWrittenWholeAndItsGatewayNamedOnlyWithItsKeys() {
    List<Tunnel> versions = new CopyOnWriteArrayList<>();
    try (Watch watch =
        admin
            .resources(Tunnel.class)
            .inNamespace(namespace)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Tunnel tunnel) {
                    if (tunnel.getStatus() != null) {
                      versions.add(tunnel);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      cluster.createTunnel(
          namespace,
          """
          apiVersion: tunnelier.io/v1alpha1
          kind: Tunnel
          metadata: {name: first-gre}
          spec:
            type: Egress
            encapsulation: GRE
            peer: {endpoint: "203.0.113.11", greKey: 4243}
            gateway: {nodeSelector: {%s: "true"}}
            egress: {podSelector: {matchLabels: {app: scraper}}}
          """
              .formatted(gatewayLabel));
      cluster.createTunnel(namespace, tunnelYaml("first-wg", 25));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  "WaitingForAgents".equals(reason("first-gre", "Ready"))
                      && "WaitingForAgents".equals(reason("first-wg", "Ready"))
                      && cluster.tunnel(namespace, "first-wg").getStatus().getPublicKey() != null);
      // The watch has every version up to the one just read.
      String lastGre = cluster.tunnel(namespace, "first-gre").getMetadata().getResourceVersion();
      String lastWg = cluster.tunnel(namespace, "first-wg").getMetadata().getResourceVersion();
      await().atMost(WAIT).until(() -> seen(versions, "first-gre", lastGre));
      await().atMost(WAIT).until(() -> seen(versions, "first-wg", lastWg));
    }

    List<TunnelStatus> gre = statuses(versions, "first-gre");
    assertThat(gre)
        .first()
        .satisfies(
            s -> {
              assertThat(s.getTunnelAddress()).matches("100\\.96\\.\\d+\\.\\d+/31");
              assertThat(s.getActiveGateway()).isEqualTo(nodeA);
              assertThat(s.getObservedGeneration()).isEqualTo(1L);
              assertThat(readyReason(s)).hasValue("WaitingForAgents");
            });
    assertThat(gre).hasSize(1);
    List<TunnelStatus> wg = statuses(versions, "first-wg");
    assertThat(wg).filteredOn(s -> s.getActiveGateway() != null).isNotEmpty();
    assertThat(wg)
        .filteredOn(s -> s.getActiveGateway() != null)
        .allSatisfy(s -> assertThat(s.getPublicKey()).isNotBlank());
  }

  /**
   * Only a WireGuard Tunnel has a keys Secret. A GRE Tunnel switched to WireGuard gets one;
   * switched back it keeps it, so a second switch to WireGuard shows the public key the peer
   * already knows.
   */
  @Test
  @Order(4)
  void aKeysSecretOnlyForWireGuardAndKeptAcrossASwitchAway() {
    cluster.createTunnel(
        namespace,
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: switching}
        spec:
          type: Egress
          encapsulation: GRE
          peer: {endpoint: "203.0.113.12", greKey: 4244}
          gateway: {nodeSelector: {%s: "true"}}
          egress: {podSelector: {matchLabels: {app: scraper}}}
        """
            .formatted(gatewayLabel));
    // The peer-config Secret is written in the same workflow pass, after the keys dependent.
    await()
        .atMost(WAIT)
        .until(
            () ->
                secret("switching-peer-config") != null
                    && "WaitingForAgents".equals(reason("switching", "Ready")));
    assertThat(secret("switching-keys")).as("a GRE Tunnel has no keys Secret").isNull();
    assertThat(cluster.tunnel(namespace, "switching").getStatus().getPublicKey()).isNull();

    switchTo("switching", "WireGuard");
    await()
        .atMost(WAIT)
        .until(
            () ->
                secret("switching-keys") != null
                    && cluster.tunnel(namespace, "switching").getStatus().getPublicKey() != null);
    Secret keys = secret("switching-keys");
    String publicKey = X25519Keys.fromPrivateKey(decoded(keys, "privateKey")).publicKey();
    assertThat(cluster.tunnel(namespace, "switching").getStatus().getPublicKey())
        .isEqualTo(publicKey);

    switchTo("switching", "GRE");
    await()
        .atMost(WAIT)
        .until(() -> cluster.tunnel(namespace, "switching").getStatus().getPublicKey() == null);
    assertThat(secret("switching-keys").getData())
        .as("kept, not deleted")
        .isEqualTo(keys.getData());

    switchTo("switching", "WireGuard");
    await()
        .atMost(WAIT)
        .until(() -> cluster.tunnel(namespace, "switching").getStatus().getPublicKey() != null);
    assertThat(cluster.tunnel(namespace, "switching").getStatus().getPublicKey())
        .isEqualTo(publicKey);
    assertThat(secret("switching-keys").getData()).isEqualTo(keys.getData());
  }

  /** Switches the Tunnel's encapsulation, with the peer fields the API requires for it. */
  private void switchTo(String name, String encapsulation) {
    admin
        .resources(Tunnel.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            t -> {
              boolean wireGuard = "WireGuard".equals(encapsulation);
              t.getSpec().setEncapsulation(wireGuard ? Encapsulation.WIREGUARD : Encapsulation.GRE);
              t.getSpec().getPeer().setEndpoint(wireGuard ? "203.0.113.12:51820" : "203.0.113.12");
              t.getSpec().getPeer().setGreKey(wireGuard ? null : 4244L);
              return t;
            });
  }

  private static boolean seen(List<Tunnel> versions, String name, String resourceVersion) {
    return versions.stream()
        .anyMatch(
            t ->
                name.equals(t.getMetadata().getName())
                    && resourceVersion.equals(t.getMetadata().getResourceVersion()));
  }

  /** Each distinct status the watch saw, in order (the finalizer's patch repeats one). */
  private static List<TunnelStatus> statuses(List<Tunnel> versions, String name) {
    List<TunnelStatus> statuses = new java.util.ArrayList<>();
    String last = null;
    for (Tunnel t : versions) {
      String json = Serialization.asJson(t.getStatus());
      if (name.equals(t.getMetadata().getName()) && !json.equals(last)) {
        statuses.add(t.getStatus());
        last = json;
      }
    }
    return statuses;
  }

  private static Optional<String> readyReason(TunnelStatus status) {
    return status.getConditions() == null
        ? Optional.empty()
        : status.getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .map(Condition::getReason)
            .findFirst();
  }
}
