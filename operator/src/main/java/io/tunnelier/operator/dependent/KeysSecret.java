package io.tunnelier.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.tunnelier.api.keys.X25519Keys;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.Labels;

/**
 * The {@code <name>-keys} Secret, owned by the Tunnel (deleted with it by the garbage collector).
 * Only a WireGuard Tunnel has one ({@link KeysSecretSpec#needed}).
 */
public class KeysSecret extends CRUDKubernetesDependentResource<Secret, Tunnel> {
  public static final String NAME = "keys-secret";

  private final MatchMemo<Secret> matches = new MatchMemo<>();

  public KeysSecret() {
    super(Secret.class);
  }

  @Override
  public Matcher.Result<Secret> match(
      Secret actual, Secret desired, Tunnel tunnel, Context<Tunnel> context) {
    return matches.match(actual, desired, () -> super.match(actual, desired, tunnel, context));
  }

  // Not a reconcile precondition: an unmet one deletes the Secret (a Tunnel switched to GRE and
  // back would lose its identity) and skips the peer-config Secrets that depend on it.
  @Override
  protected ReconcileResult<Secret> reconcile(
      Tunnel tunnel, Secret actual, Context<Tunnel> context) {
    return KeysSecretSpec.needed(tunnel)
        ? super.reconcile(tunnel, actual, context)
        : ReconcileResult.noOperation(actual);
  }

  @Override
  protected Secret desired(Tunnel tunnel, Context<Tunnel> context) {
    return KeysSecretSpec.desired(
        tunnel,
        KeysSecretSpec.keys(tunnel, getSecondaryResource(tunnel, context), X25519Keys::generate));
  }

  // By name, not by computing desired(): that would generate a key just to look for the Secret.
  @Override
  protected ResourceID targetSecondaryResourceID(Tunnel tunnel, Context<Tunnel> context) {
    return new ResourceID(
        Labels.keysSecretName(tunnel.getMetadata().getName()), tunnel.getMetadata().getNamespace());
  }
}
