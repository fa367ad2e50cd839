package io.tunnelier.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.tunnelier.api.keys.WireGuardKeyPair;
import io.tunnelier.api.keys.X25519Keys;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.BackupPeerSpec;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.Labels;
import io.tunnelier.operator.peer.PeerConfigInputs;
import io.tunnelier.operator.peer.PeerConfigRenderer;
import io.tunnelier.operator.reconciler.TunnelProblem;
import io.tunnelier.operator.status.TunnelConditions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code <name>-peer-config} Secret: everything the far end needs. When {@code
 * spec.peer.publicKey} is empty (WireGuard) the operator generates the far end's keypair once and
 * reads it back from this Secret afterwards, so it stays stable.
 */
public final class PeerConfigSecretSpec {
  private PeerConfigSecretSpec() {}

  /**
   * The far end's keys: the user's public key, else the pair already in the Secret, else a new one.
   * Null for GRE.
   */
  public static WireGuardKeyPair peerKeys(
      Tunnel tunnel, Optional<Secret> existing, Supplier<WireGuardKeyPair> generator) {
    return peerKeys(tunnel, primary(tunnel), existing, generator);
  }

  /**
   * The keys of one of the Tunnel's VPS, {@code peer}: its spec's public key, else the pair already
   * in its own Secret ({@code existing}), else a new one. Null for GRE.
   */
  public static WireGuardKeyPair peerKeys(
      Tunnel tunnel,
      TunnelPeers.Peer peer,
      Optional<Secret> existing,
      Supplier<WireGuardKeyPair> generator) {
    if (tunnel.getSpec().getEncapsulation() != Encapsulation.WIREGUARD) {
      return null;
    }
    String given = peer.spec().getPublicKey();
    if (given != null && !given.isBlank()) {
      return new WireGuardKeyPair(null, given);
    }
    Optional<String> peerYaml =
        existing
            .map(Secret::getData)
            .map(d -> d.get(PeerConfigRenderer.PEER_YAML))
            .map(PeerConfigSecretSpec::decode);
    if (peerYaml.isEmpty()) {
      return generator.get();
    }
    String privateKey;
    try {
      privateKey = PeerConfigRenderer.peerPrivateKey(peerYaml.get());
    } catch (IllegalArgumentException e) {
      throw invalid(tunnel, peer, e.getMessage());
    }
    if (privateKey == null || privateKey.isBlank()) {
      // Rendered while the user gave a public key: there is no generated pair to keep.
      return generator.get();
    }
    try {
      return X25519Keys.fromPrivateKey(privateKey);
    } catch (IllegalArgumentException e) {
      throw invalid(tunnel, peer, e.getMessage());
    }
  }

  /**
   * The Secret for {@code in.peer()}: {@code <tunnel>-peer-config} for the primary, {@code
   * <tunnel>-peer-config-<peer>} for a backup, which also carries the {@link Labels#PEER} label.
   */
  public static Secret desired(PeerConfigInputs in) {
    Tunnel tunnel = in.tunnel();
    Map<String, String> data = new LinkedHashMap<>();
    PeerConfigRenderer.render(in).forEach((k, v) -> data.put(k, KeysSecretSpec.base64(v)));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(TunnelPeers.configSecretName(tunnel.getMetadata().getName(), in.peer().name()))
        .withNamespace(tunnel.getMetadata().getNamespace())
        .withLabels(
            in.peer().primary()
                ? Labels.forTunnel(tunnel.getMetadata().getName())
                : Labels.forBackupPeer(tunnel.getMetadata().getName(), in.peer().name()))
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  private static TunnelPeers.Peer primary(Tunnel tunnel) {
    return new TunnelPeers.Peer(BackupPeerSpec.PRIMARY, 0, tunnel.getSpec().getPeer());
  }

  private static TunnelProblem invalid(Tunnel tunnel, TunnelPeers.Peer peer, String what) {
    return new TunnelProblem(
        TunnelConditions.INVALID_KEYS,
        "Secret "
            + TunnelPeers.configSecretName(tunnel.getMetadata().getName(), peer.name())
            + " holds a peer.yaml whose privateKey is unusable ("
            + what
            + "): delete the Secret to generate a new peer keypair");
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
