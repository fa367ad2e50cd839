package io.tunnelier.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.tunnelier.api.keys.WireGuardKeyPair;
import io.tunnelier.api.keys.X25519Keys;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.TestTunnels;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.peer.PeerConfigInputs;
import io.tunnelier.operator.peer.PeerConfigRenderer;
import io.tunnelier.operator.reconciler.TunnelProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The two Secrets' desired state, as a function of the Tunnel and the Secret as it exists. */
class TunnelSecretsSpecTest {
  private static final WireGuardKeyPair CLUSTER = X25519Keys.generate();
  private static final WireGuardKeyPair VPS = X25519Keys.generate();

  private static final class CountingGenerator implements Supplier<WireGuardKeyPair> {
    final AtomicInteger calls = new AtomicInteger();
    final WireGuardKeyPair pair;

    CountingGenerator(WireGuardKeyPair pair) {
      this.pair = pair;
    }

    @Override
    public WireGuardKeyPair get() {
      calls.incrementAndGet();
      return pair;
    }
  }

  private static String decoded(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static Secret peerConfig(Tunnel tunnel, WireGuardKeyPair peerKeys) {
    return PeerConfigSecretSpec.desired(
        new PeerConfigInputs(
            tunnel,
            AddressPair.ofSpecAddress("100.96.0.2/31"),
            CLUSTER.publicKey(),
            peerKeys,
            List.of()));
  }

  @Test
  void onlyAWireGuardTunnelNeedsAKeysSecret() {
    assertThat(KeysSecretSpec.needed(TestTunnels.egressWireGuard())).isTrue();
    assertThat(KeysSecretSpec.needed(TestTunnels.siteToSite())).isTrue();
    Tunnel gre = TestTunnels.egressGre();
    assertThat(KeysSecretSpec.needed(gre)).isFalse();
    gre.getSpec().setEncapsulation(Encapsulation.GRE_OVER_UDP);
    assertThat(KeysSecretSpec.needed(gre)).isFalse();
  }

  @Test
  void keysAreGeneratedOnceThenReadBack() {
    Tunnel tunnel = TestTunnels.egressWireGuard();
    CountingGenerator generator = new CountingGenerator(CLUSTER);
    WireGuardKeyPair first = KeysSecretSpec.keys(tunnel, Optional.empty(), generator);
    Secret secret = KeysSecretSpec.desired(tunnel, first);
    WireGuardKeyPair again =
        KeysSecretSpec.keys(tunnel, Optional.of(secret), () -> X25519Keys.generate());
    assertThat(again).isEqualTo(first);
    assertThat(generator.calls).hasValue(1);
  }

  @Test
  void keysSecretHoldsOnlyThePrivateKeyLabelledForItsTunnel() {
    Tunnel tunnel = TestTunnels.egressWireGuard();
    Secret secret = KeysSecretSpec.desired(tunnel, CLUSTER);
    assertThat(secret.getMetadata().getName()).isEqualTo("egress-nyc-keys");
    assertThat(secret.getMetadata().getNamespace()).isEqualTo("scraping");
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "tunnelier-operator")
        .containsEntry("tunnelier.io/tunnel", "egress-nyc");
    assertThat(secret.getData().keySet()).containsExactly("privateKey");
    assertThat(decoded(secret, "privateKey")).isEqualTo(CLUSTER.privateKey());
  }

  @Test
  void aCorruptKeysSecretIsAProblemNotARotation() {
    Tunnel tunnel = TestTunnels.egressWireGuard();
    Secret corrupt = KeysSecretSpec.desired(tunnel, new WireGuardKeyPair("c2hvcnQ=", "x"));
    assertThatThrownBy(
            () ->
                KeysSecretSpec.keys(
                    tunnel,
                    Optional.of(corrupt),
                    () -> {
                      throw new AssertionError("must not generate");
                    }))
        .isInstanceOfSatisfying(
            TunnelProblem.class, p -> assertThat(p.reason()).isEqualTo("InvalidKeys"))
        .hasMessageContaining("egress-nyc-keys")
        .hasMessageNotContaining("c2hvcnQ=");
  }

  @Test
  void peerKeysAreGeneratedWhenNoPublicKeyIsGivenAndStayStable() {
    Tunnel tunnel = TestTunnels.egressWireGuard();
    CountingGenerator generator = new CountingGenerator(VPS);
    WireGuardKeyPair first = PeerConfigSecretSpec.peerKeys(tunnel, Optional.empty(), generator);
    Secret secret = peerConfig(tunnel, first);
    WireGuardKeyPair again =
        PeerConfigSecretSpec.peerKeys(tunnel, Optional.of(secret), X25519Keys::generate);
    assertThat(again).isEqualTo(VPS);
    assertThat(generator.calls).hasValue(1);
    assertThat(decoded(secret, "peerPublicKey")).isEqualTo(VPS.publicKey());
    assertThat(peerConfig(tunnel, again)).isEqualTo(secret);
  }

  @Test
  void aGivenPeerPublicKeyIsUsedAndNoPrivateKeyIsMadeUp() {
    Tunnel tunnel = TestTunnels.siteToSite();
    WireGuardKeyPair keys =
        PeerConfigSecretSpec.peerKeys(
            tunnel,
            Optional.empty(),
            () -> {
              throw new AssertionError("must not generate");
            });
    assertThat(keys.publicKey()).isEqualTo(TestTunnels.PEER_PUBLIC_KEY);
    assertThat(keys.privateKey()).isNull();
    Secret secret = peerConfig(tunnel, keys);
    assertThat(decoded(secret, "peerPublicKey")).isEqualTo(TestTunnels.PEER_PUBLIC_KEY);
    assertThat(decoded(secret, "wg0.conf"))
        .contains("# PrivateKey = ")
        .doesNotContain("\nPrivateKey");
    assertThat(decoded(secret, "peer.yaml")).doesNotContain("privateKey");
  }

  @Test
  void greHasNoKeysAndNoWgQuickFile() {
    Tunnel tunnel = TestTunnels.egressGre();
    assertThat(PeerConfigSecretSpec.peerKeys(tunnel, Optional.empty(), X25519Keys::generate))
        .isNull();
    Secret secret =
        PeerConfigSecretSpec.desired(
            new PeerConfigInputs(
                tunnel, AddressPair.ofSpecAddress("100.96.0.2/31"), null, null, List.of()));
    assertThat(secret.getMetadata().getName()).isEqualTo("egress-gre-peer-config");
    assertThat(secret.getData().keySet()).containsExactly("peer.yaml");
  }

  @Test
  void peerConfigSecretLabelsAndKeys() {
    Secret secret = peerConfig(TestTunnels.egressWireGuard(), VPS);
    assertThat(secret.getMetadata().getName()).isEqualTo("egress-nyc-peer-config");
    assertThat(secret.getMetadata().getLabels())
        .isEqualTo(
            Map.of(
                "app.kubernetes.io/managed-by", "tunnelier-operator",
                "tunnelier.io/tunnel", "egress-nyc"));
    assertThat(secret.getData().keySet()).containsExactly("peer.yaml", "wg0.conf", "peerPublicKey");
    assertThat(PeerConfigRenderer.peerPrivateKey(decoded(secret, "peer.yaml")))
        .isEqualTo(VPS.privateKey());
  }
}
