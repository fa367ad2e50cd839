package io.tunnelier.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.tunnelier.api.keys.WireGuardKeyPair;
import io.tunnelier.api.keys.X25519Keys;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.Labels;
import io.tunnelier.operator.reconciler.TunnelProblem;
import io.tunnelier.operator.status.TunnelConditions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code <name>-keys} Secret: this end's private key, the only place it exists. Desired state
 * is a function of the Tunnel and the Secret as it exists: a key once generated is read back, never
 * replaced, so restarts and re-reconciles keep it.
 */
public final class KeysSecretSpec {
  public static final String PRIVATE_KEY = "privateKey";

  private KeysSecretSpec() {}

  /**
   * Whether the workflow writes the keys Secret: only a WireGuard Tunnel uses this end's keys. A
   * GRE-family Tunnel gets none, and one it has (from when it was WireGuard) is left as it is,
   * neither read nor deleted, so a switch back keeps the public key the peer knows.
   */
  public static boolean needed(Tunnel tunnel) {
    return tunnel.getSpec().getEncapsulation() == Encapsulation.WIREGUARD;
  }

  /**
   * The keypair to use: the existing Secret's, or a new one from {@code generator} when there is
   * none.
   *
   * @throws TunnelProblem when the existing Secret holds something that is not a private key
   */
  public static WireGuardKeyPair keys(
      Tunnel tunnel, Optional<Secret> existing, Supplier<WireGuardKeyPair> generator) {
    Optional<String> stored =
        existing.map(Secret::getData).map(d -> d.get(PRIVATE_KEY)).filter(s -> !s.isBlank());
    if (stored.isEmpty()) {
      return generator.get();
    }
    try {
      String privateKey =
          new String(Base64.getDecoder().decode(stored.get()), StandardCharsets.US_ASCII);
      return X25519Keys.fromPrivateKey(privateKey);
    } catch (IllegalArgumentException e) {
      throw new TunnelProblem(
          TunnelConditions.INVALID_KEYS,
          "Secret "
              + Labels.keysSecretName(tunnel.getMetadata().getName())
              + " holds an invalid privateKey ("
              + e.getMessage()
              + "): delete the Secret to generate a new keypair (the peer then needs the new"
              + " public key)");
    }
  }

  /** The Secret holding {@code keys}. */
  public static Secret desired(Tunnel tunnel, WireGuardKeyPair keys) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(Labels.keysSecretName(tunnel.getMetadata().getName()))
        .withNamespace(tunnel.getMetadata().getNamespace())
        .withLabels(Labels.forTunnel(tunnel.getMetadata().getName()))
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of(PRIVATE_KEY, base64(keys.privateKey())))
        .build();
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
