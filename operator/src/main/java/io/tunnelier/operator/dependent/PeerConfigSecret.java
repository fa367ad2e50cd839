package io.tunnelier.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.tunnelier.api.keys.WireGuardKeyPair;
import io.tunnelier.api.keys.X25519Keys;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.Labels;
import io.tunnelier.operator.peer.PeerConfigInputs;
import io.tunnelier.operator.reconciler.TunnelPlan;

/**
 * The {@code <name>-peer-config} Secret, owned by the Tunnel. Reconciled after the keys Secret (it
 * carries this end's public key) and only once the Tunnel has addresses ({@link AddressAssigned}).
 */
public class PeerConfigSecret extends CRUDKubernetesDependentResource<Secret, Tunnel> {
  public static final String NAME = "peer-config-secret";

  private final MatchMemo<Secret> matches = new MatchMemo<>();

  public PeerConfigSecret() {
    super(Secret.class);
  }

  @Override
  public Matcher.Result<Secret> match(
      Secret actual, Secret desired, Tunnel tunnel, Context<Tunnel> context) {
    return matches.match(actual, desired, () -> super.match(actual, desired, tunnel, context));
  }

  @Override
  protected Secret desired(Tunnel tunnel, Context<Tunnel> context) {
    TunnelPlan plan =
        context
            .managedWorkflowAndDependentResourceContext()
            .getMandatory(TunnelPlan.class, TunnelPlan.class);
    String clusterPublicKey = null;
    if (tunnel.getSpec().getEncapsulation() == Encapsulation.WIREGUARD) {
      clusterPublicKey =
          TunnelSecrets.keys(tunnel, context)
              .map(WireGuardKeyPair::publicKey)
              .orElseThrow(() -> new IllegalStateException("the keys Secret does not exist yet"));
    }
    WireGuardKeyPair peerKeys =
        PeerConfigSecretSpec.peerKeys(
            tunnel, getSecondaryResource(tunnel, context), X25519Keys::generate);
    return PeerConfigSecretSpec.desired(
        new PeerConfigInputs(
            tunnel,
            plan.assignment().assigned().orElseThrow(),
            clusterPublicKey,
            peerKeys,
            plan.localCidrs(),
            plan.gatewaySources(),
            null,
            plan.ipv6(plan.assignment().assigned().orElseThrow())));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(Tunnel tunnel, Context<Tunnel> context) {
    return new ResourceID(
        Labels.peerConfigSecretName(tunnel.getMetadata().getName()),
        tunnel.getMetadata().getNamespace());
  }
}
