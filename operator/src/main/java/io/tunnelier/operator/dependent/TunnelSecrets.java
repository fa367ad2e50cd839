package io.tunnelier.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.tunnelier.api.keys.WireGuardKeyPair;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.Labels;
import java.util.Optional;

/** Looks up a Tunnel's Secrets in the reconcile's caches. */
public final class TunnelSecrets {
  private TunnelSecrets() {}

  public static Optional<Secret> keysSecret(Tunnel tunnel, Context<Tunnel> context) {
    return byName(context, Labels.keysSecretName(tunnel.getMetadata().getName()));
  }

  /** This end's keypair as the keys Secret holds it; empty while that Secret does not exist. */
  public static Optional<WireGuardKeyPair> keys(Tunnel tunnel, Context<Tunnel> context) {
    return keysSecret(tunnel, context)
        .filter(s -> s.getData() != null && s.getData().containsKey(KeysSecretSpec.PRIVATE_KEY))
        .map(
            s ->
                KeysSecretSpec.keys(
                    tunnel,
                    Optional.of(s),
                    () -> {
                      throw new IllegalStateException("unreachable: the Secret has a key");
                    }));
  }

  private static Optional<Secret> byName(Context<Tunnel> context, String name) {
    return context
        .getSecondaryResourcesAsStream(Secret.class)
        .filter(s -> name.equals(s.getMetadata().getName()))
        .findFirst();
  }
}
