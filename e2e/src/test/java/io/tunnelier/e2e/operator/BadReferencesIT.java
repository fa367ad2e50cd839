package io.tunnelier.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.api.keys.X25519Keys;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.k8s.TunnelCrd;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.address.AddressPool;
import io.tunnelier.operator.address.KeyDerivedPair;
import io.tunnelier.operator.config.OperatorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad references give a clear condition and Event, never a crash loop, and never hold up the other
 * Tunnels: no node matching the gateway selector, an exhausted address pool, a conflicting
 * spec.address, a corrupted keys Secret, a site-to-site Tunnel without the peer's public key or
 * whose key-derived /31 another Tunnel holds.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadReferencesIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ControlPlane controlPlane;
  private final KubernetesClient admin;
  private final Cluster cluster;
  private final String id = UUID.randomUUID().toString().substring(0, 6);
  private final String operatorNamespace = "tunnelier-bad-" + id;
  private final String namespace = "bad-" + id;
  private final String gatewayLabel = "it.tunnelier.io/gateway-" + id;
  private final String node = "bad-" + id + "-a";
  private final Cidr siteToSitePool = AddressPool.parse("test", "100.99.128.0/24");
  private OperatorUnderTest operator;

  BadReferencesIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.admin = controlPlane.adminClient();
    this.cluster = new Cluster(admin);
  }

  @BeforeAll
  void start() {
    TunnelCrd.install(admin);
    cluster.createNamespace(operatorNamespace);
    cluster.createNamespace(namespace);
    cluster.createNode(node, Map.of(gatewayLabel, "good"), "10.247.1.0/24");
    // A pool with room for exactly one Tunnel.
    operator =
        OperatorUnderTest.start(
            controlPlane,
            operatorNamespace,
            OperatorConfig.defaults()
                .withAddressPools("100.97.0.0/30", siteToSitePool.toString())
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

  private void createTunnel(String name, String group, String address) {
    cluster.createTunnel(
        namespace,
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: %s}
        spec:
          type: Egress
          encapsulation: WireGuard
          peer: {endpoint: "203.0.113.40:51820"}
          gateway: {nodeSelector: {%s: "%s"}}
          address: "%s"
          egress: {podSelector: {matchLabels: {app: scraper}}}
        """
            .formatted(name, gatewayLabel, group, address));
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

  @Test
  void badTunnelsGetClearConditionsAndTheGoodOneWorks() {
    createTunnel("good", "good", "");
    await().atMost(WAIT).until(() -> "False/WaitingForAgents".equals(ready("good")));
    assertThat(cluster.tunnel(namespace, "good").getStatus().getTunnelAddress())
        .isEqualTo("100.97.0.2/31");

    // The pool is used up: the second Tunnel says so, and what to do.
    createTunnel("no-room", "good", "");
    await().atMost(WAIT).until(() -> "False/AddressPoolExhausted".equals(ready("no-room")));
    assertThat(condition("no-room", "Degraded").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(condition("no-room", "Ready").orElseThrow().getMessage())
        .contains("100.97.0.0/30")
        .contains("addressPool");
    assertThat(admin.secrets().inNamespace(namespace).withName("no-room-peer-config").get())
        .as("no peer config without addresses")
        .isNull();

    // No node matches the selector.
    createTunnel("nowhere", "missing", "100.98.0.2/31");
    await().atMost(WAIT).until(() -> "False/NoGatewayCandidate".equals(ready("nowhere")));
    Tunnel broken = cluster.tunnel(namespace, "nowhere");
    assertThat(condition("nowhere", "Ready").orElseThrow().getMessage())
        .contains("kubectl label node <node> " + gatewayLabel + "=missing");
    assertThat(cluster.events(namespace, "nowhere"))
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("NoGatewayCandidate");
            });
    System.out.println("=== status of a broken Tunnel ===\n" + Cluster.statusYaml(broken));

    // Another Tunnel wants the same address.
    createTunnel("clash", "good", "100.98.0.3/31");
    await().atMost(WAIT).until(() -> "False/AddressConflict".equals(ready("clash")));
    assertThat(condition("clash", "Ready").orElseThrow().getMessage())
        .contains(namespace + "/nowhere");

    // None of that held up the good Tunnel.
    cluster.report(namespace, "good", Cluster.healthy(node, NodeRole.GATEWAY, Instant.now()));
    await().atMost(WAIT).until(() -> "True/PeerReachable".equals(ready("good")));

    // Fixing the reference fixes the Tunnel: label a node.
    admin
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getMetadata().getLabels().put(gatewayLabel, "missing");
              return n;
            });
    await().atMost(WAIT).until(() -> "False/WaitingForAgents".equals(ready("nowhere")));
    assertThat(cluster.tunnel(namespace, "nowhere").getStatus().getActiveGateway()).isEqualTo(node);
    admin
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getMetadata().getLabels().put(gatewayLabel, "good");
              return n;
            });

    // Deleting the Tunnel that holds the pool's only pair lets the waiting one have it.
    admin.resources(Tunnel.class).inNamespace(namespace).withName("good").delete();
    await().atMost(WAIT).until(() -> cluster.tunnel(namespace, "good") == null);
    // The next event for no-room (here: its periodic recheck) assigns it the freed pair.
    await()
        .atMost(WAIT)
        .until(
            () ->
                "100.97.0.2/31"
                    .equals(cluster.tunnel(namespace, "no-room").getStatus().getTunnelAddress()));
  }

  @Test
  void aCorruptedKeysSecretIsReportedNotRotated() {
    createTunnel("corrupt", "good", "100.99.0.2/31");
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster.tunnel(namespace, "corrupt").getStatus() != null
                    && cluster.tunnel(namespace, "corrupt").getStatus().getPublicKey() != null);
    String publicKey = cluster.tunnel(namespace, "corrupt").getStatus().getPublicKey();
    String garbage =
        Base64.getEncoder().encodeToString("not-a-key".getBytes(StandardCharsets.US_ASCII));
    admin
        .secrets()
        .inNamespace(namespace)
        .withName("corrupt-keys")
        .edit(
            s -> {
              s.getData()
                  .put(
                      "privateKey",
                      Base64.getEncoder()
                          .encodeToString(garbage.getBytes(StandardCharsets.US_ASCII)));
              return s;
            });
    await().atMost(WAIT).until(() -> "False/InvalidKeys".equals(ready("corrupt")));
    assertThat(condition("corrupt", "Ready").orElseThrow().getMessage())
        .contains("corrupt-keys")
        .contains("delete the Secret")
        .doesNotContain(garbage);
    // Kept where it was: the status still shows the last good public key.
    assertThat(cluster.tunnel(namespace, "corrupt").getStatus().getPublicKey())
        .isEqualTo(publicKey);

    // Deleting the Secret is the documented way to a new keypair.
    admin.secrets().inNamespace(namespace).withName("corrupt-keys").delete();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Tunnel t = cluster.tunnel(namespace, "corrupt");
              return t.getStatus().getPublicKey() != null
                  && !publicKey.equals(t.getStatus().getPublicKey())
                  && !"InvalidKeys"
                      .equals(condition("corrupt", "Ready").map(Condition::getReason).orElse(""));
            });
  }

  private void createSiteToSite(String name, String peerPublicKey) {
    cluster.createTunnel(
        namespace,
        """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: %s}
        spec:
          type: SiteToSite
          encapsulation: WireGuard
          peer: {endpoint: "198.51.100.40:51820", publicKey: "%s"}
          gateway: {nodeSelector: {%s: "good"}}
          siteToSite: {remoteCIDRs: ["100.80.0.0/16"]}
        """
            .formatted(name, peerPublicKey, gatewayLabel));
  }

  private Tunnel setPeerPublicKey(String name, String key) {
    return admin
        .resources(Tunnel.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            t -> {
              t.getSpec().getPeer().setPublicKey(key);
              return t;
            });
  }

  @Test
  void aSiteToSiteTunnelWithoutAnAgreedPairSaysWhatToDo() {
    // No peer key yet: no addresses, and the status says which key goes where.
    createSiteToSite("s2s", "");
    await().atMost(WAIT).until(() -> "False/PeerPublicKeyMissing".equals(ready("s2s")));
    Tunnel waiting = cluster.tunnel(namespace, "s2s");
    assertThat(condition("s2s", "Degraded").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(condition("s2s", "Ready").orElseThrow().getMessage())
        .contains("spec.peer.publicKey is empty")
        .contains("put the other cluster's Tunnel's status.publicKey into spec.peer.publicKey");
    assertThat(waiting.getStatus().getTunnelAddress()).isNull();
    assertThat(waiting.getStatus().getPublicKey()).as("this end's key, to hand over").isNotNull();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(cluster.events(namespace, "s2s"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("PeerPublicKeyMissing");
                        }));
    System.out.println(
        "=== a site-to-site Tunnel without the peer's key ===\n" + Cluster.statusYaml(waiting));

    // Another Tunnel already has an address of the /31 the two keys derive.
    String ownKey = waiting.getStatus().getPublicKey();
    String peerKey = X25519Keys.generate().publicKey();
    AddressPair derived =
        KeyDerivedPair.derive(
            siteToSitePool, X25519Keys.publicKeyBytes(ownKey), X25519Keys.publicKeyBytes(peerKey));
    createTunnel("squatter", "good", derived.peer().toString());
    await().atMost(WAIT).until(() -> "False/WaitingForAgents".equals(ready("squatter")));
    setPeerPublicKey("s2s", peerKey);
    await().atMost(WAIT).until(() -> "False/DerivedAddressConflict".equals(ready("s2s")));
    assertThat(condition("s2s", "Ready").orElseThrow().getMessage())
        .contains(derived.local() + " (this end) and " + derived.peer() + " (the peer)")
        .contains("Tunnel " + namespace + "/squatter")
        .contains("set spec.address on both sides");
    assertThat(cluster.tunnel(namespace, "s2s").getStatus().getTunnelAddress()).isNull();
    assertThat(cluster.tunnel(namespace, "squatter").getStatus().getTunnelAddress())
        .as("the Tunnel that had the address keeps it")
        .isEqualTo(derived.peer().toString());

    // Once the address is free the Tunnel takes the derived pair (at its next recheck).
    admin.resources(Tunnel.class).inNamespace(namespace).withName("squatter").delete();
    await()
        .atMost(WAIT)
        .until(
            () ->
                derived
                    .local()
                    .toString()
                    .equals(cluster.tunnel(namespace, "s2s").getStatus().getTunnelAddress()));
    assertThat(cluster.tunnel(namespace, "s2s").getStatus().getPeerAddress())
        .isEqualTo(derived.peer().toString());
    // The status write with the addresses comes first, the Secret a moment later in the same
    // reconcile: wait for it rather than race it.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(admin.secrets().inNamespace(namespace).withName("s2s-peer-config").get())
                    .as("the peer config follows the addresses")
                    .isNotNull());
  }
}
