package io.tunnelier.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.tunnelier.api.keys.WireGuardKeyPair;
import io.tunnelier.api.keys.X25519Keys;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.BackupPeerSpec;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.TestTunnels;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.address.Assignment;
import io.tunnelier.operator.peer.PeerConfigInputs;
import io.tunnelier.operator.peer.PeerConfigRenderer;
import io.tunnelier.operator.reconciler.TunnelPlan;
import io.tunnelier.operator.reconciler.TunnelProblem;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The backup peers' config Secrets: which exist, which are written, and what they hold. */
class BackupPeerConfigSecretsTest {
  private static final WireGuardKeyPair CLUSTER = X25519Keys.generate();
  private static final AddressPair PRIMARY = AddressPair.ofSpecAddress("100.96.0.2/31");
  private static final AddressPair VPS_B = AddressPair.ofSpecAddress("100.96.0.4/31");
  private static final AddressPair VPS_C = AddressPair.ofSpecAddress("100.96.0.6/31");

  private final BackupPeerConfigSecrets dependent = new BackupPeerConfigSecrets();

  /** The Secrets the informers hold for the Tunnel. */
  private final List<Secret> secrets = new ArrayList<>();

  private TunnelPlan plan;

  private static String decoded(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static TunnelPeers.Peer peer(Tunnel t, String name) {
    return TunnelPeers.of(t).stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  private static Map<String, Assignment> backups(Assignment b, Assignment c) {
    Map<String, Assignment> m = new LinkedHashMap<>();
    m.put("vps-b", b);
    m.put("vps-c", c);
    return m;
  }

  private void plan(Map<String, Assignment> backups) {
    plan =
        new TunnelPlan(
            new Assignment.Assigned(PRIMARY), null, List.of(), List.of("192.0.2.7/32"), backups);
  }

  /** A reconcile's context: the Secrets above (each seen twice: several informers) and the plan. */
  @SuppressWarnings("unchecked")
  private Context<Tunnel> context() {
    ManagedWorkflowAndDependentResourceContext workflow =
        (ManagedWorkflowAndDependentResourceContext)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ManagedWorkflowAndDependentResourceContext.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("get") && args[0] == TunnelPlan.class) {
                    return Optional.ofNullable(plan);
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    return (Context<Tunnel>)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getSecondaryResourcesAsStream" ->
                      java.util.stream.Stream.concat(secrets.stream(), secrets.stream());
                  case "managedWorkflowAndDependentResourceContext" -> workflow;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  /** What the dependent would apply, then the Secrets as they then exist. */
  private Map<ResourceID, Secret> reconcile(Tunnel tunnel) {
    Map<ResourceID, Secret> desired = dependent.desiredResources(tunnel, context());
    Map<ResourceID, Secret> actual = dependent.getSecondaryResources(tunnel, context());
    secrets.removeIf(
        s -> {
          ResourceID id = ResourceID.fromResource(s);
          return actual.containsKey(id) && !desired.containsKey(id);
        });
    desired.forEach(
        (id, s) -> {
          secrets.removeIf(e -> ResourceID.fromResource(e).equals(id));
          secrets.add(s);
        });
    return desired;
  }

  private Tunnel withKeysSecret() {
    Tunnel tunnel = TestTunnels.egressWithBackups();
    secrets.add(KeysSecretSpec.desired(tunnel, CLUSTER));
    return tunnel;
  }

  @Test
  void oneSecretPerBackupWithItsOwnAddressesKeysAndThisEndsPublicKey() {
    Tunnel tunnel = withKeysSecret();
    plan(backups(new Assignment.Assigned(VPS_B), new Assignment.Assigned(VPS_C)));
    Map<ResourceID, Secret> desired = reconcile(tunnel);
    assertThat(desired.keySet())
        .containsExactly(
            new ResourceID("egress-ha-peer-config-vps-b", "scraping"),
            new ResourceID("egress-ha-peer-config-vps-c", "scraping"));
    Secret b = desired.get(new ResourceID("egress-ha-peer-config-vps-b", "scraping"));
    assertThat(b.getMetadata().getLabels())
        .isEqualTo(
            Map.of(
                "app.kubernetes.io/managed-by", "tunnelier-operator",
                "tunnelier.io/tunnel", "egress-ha",
                "tunnelier.io/peer", "vps-b"));
    assertThat(b.getData().keySet()).containsExactly("peer.yaml", "wg0.conf", "peerPublicKey");
    assertThat(decoded(b, "peer.yaml"))
        .contains("address: 100.96.0.5/31")
        .contains("peerAddress: 100.96.0.4/31")
        .contains("peerPublicKey: " + CLUSTER.publicKey())
        .contains("listen: 0.0.0.0:51820");
    // vps-c's owner gave its public key: no private key is made up.
    Secret c = desired.get(new ResourceID("egress-ha-peer-config-vps-c", "scraping"));
    assertThat(decoded(c, "peerPublicKey")).isEqualTo(TestTunnels.PEER_PUBLIC_KEY);
    assertThat(decoded(c, "peer.yaml")).doesNotContain("privateKey");
  }

  @Test
  void aGeneratedKeypairIsKeptWhileItsSecretExists() {
    Tunnel tunnel = withKeysSecret();
    plan(backups(new Assignment.Assigned(VPS_B), new Assignment.Assigned(VPS_C)));
    Secret first = reconcile(tunnel).get(new ResourceID("egress-ha-peer-config-vps-b", "scraping"));
    Secret again = reconcile(tunnel).get(new ResourceID("egress-ha-peer-config-vps-b", "scraping"));
    assertThat(again).isEqualTo(first);
    String privateKey = PeerConfigRenderer.peerPrivateKey(decoded(first, "peer.yaml"));
    assertThat(X25519Keys.fromPrivateKey(privateKey).publicKey())
        .isEqualTo(decoded(first, "peerPublicKey"));
  }

  @Test
  void aBackupRemovedFromSpecLosesItsSecretAndTheOthersAreNeverTouched() {
    Tunnel tunnel = withKeysSecret();
    Secret primary =
        PeerConfigSecretSpec.desired(
            new PeerConfigInputs(tunnel, PRIMARY, CLUSTER.publicKey(), CLUSTER, List.of()));
    secrets.add(primary);
    plan(backups(new Assignment.Assigned(VPS_B), new Assignment.Assigned(VPS_C)));
    reconcile(tunnel);
    tunnel.getSpec().getBackupPeers().remove(0);
    plan(Map.of("vps-c", new Assignment.Assigned(VPS_C)));
    reconcile(tunnel);
    assertThat(secrets)
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "egress-ha-keys", "egress-ha-peer-config", "egress-ha-peer-config-vps-c");
    // All backups gone: all their Secrets go, the Tunnel's own stay.
    tunnel.getSpec().setBackupPeers(null);
    plan(Map.of());
    reconcile(tunnel);
    assertThat(secrets)
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("egress-ha-keys", "egress-ha-peer-config");
  }

  @Test
  void aBackupWithoutAddressesKeepsItsSecretAsItIs() {
    Tunnel tunnel = withKeysSecret();
    plan(backups(new Assignment.Assigned(VPS_B), new Assignment.Assigned(VPS_C)));
    reconcile(tunnel);
    Secret b = secrets.get(1);
    plan(backups(new Assignment.PoolExhausted("100.96.0.0/29"), new Assignment.Assigned(VPS_C)));
    Map<ResourceID, Secret> desired = reconcile(tunnel);
    assertThat(desired.keySet())
        .containsExactly(new ResourceID("egress-ha-peer-config-vps-c", "scraping"));
    assertThat(secrets).contains(b);
    // Nor while the primary has none.
    plan = new TunnelPlan(new Assignment.PoolExhausted("p"), null, List.of(), List.of(), Map.of());
    assertThat(reconcile(tunnel)).isEmpty();
    assertThat(secrets).hasSize(3);
  }

  @Test
  void nothingBeforeThisEndsKeysSecretExists() {
    Tunnel tunnel = TestTunnels.egressWithBackups();
    plan(backups(new Assignment.Assigned(VPS_B), new Assignment.Assigned(VPS_C)));
    assertThat(reconcile(tunnel)).isEmpty();
  }

  @Test
  void aSecretNamedLikeABackupButNotLabelledIsNotTheDependents() {
    Tunnel tunnel = withKeysSecret();
    secrets.add(
        new SecretBuilder()
            .withNewMetadata()
            .withName("egress-ha-peer-config-old")
            .withNamespace("scraping")
            .withLabels(Map.of("tunnelier.io/tunnel", "egress-ha"))
            .endMetadata()
            .build());
    plan(Map.of());
    tunnel.getSpec().setBackupPeers(null);
    reconcile(tunnel);
    assertThat(secrets).hasSize(2);
  }

  @Test
  void aCorruptBackupSecretNamesItself() {
    Tunnel tunnel = TestTunnels.egressWithBackups();
    TunnelPeers.Peer b = peer(tunnel, "vps-b");
    Secret corrupt =
        new SecretBuilder()
            .withNewMetadata()
            .withName("egress-ha-peer-config-vps-b")
            .endMetadata()
            .withData(
                Map.of(
                    "peer.yaml",
                    Base64.getEncoder()
                        .encodeToString(
                            "tunnels: [{privateKey: c2hvcnQ=}]".getBytes(StandardCharsets.UTF_8))))
            .build();
    assertThatThrownBy(
            () ->
                PeerConfigSecretSpec.peerKeys(
                    tunnel,
                    b,
                    Optional.of(corrupt),
                    () -> {
                      throw new AssertionError("must not generate");
                    }))
        .isInstanceOf(TunnelProblem.class)
        .hasMessageContaining("egress-ha-peer-config-vps-b")
        .hasMessageNotContaining("c2hvcnQ=");
    assertThat(BackupPeerSpec.PRIMARY).isEqualTo(TunnelPeers.of(tunnel).get(0).name());
  }
}
