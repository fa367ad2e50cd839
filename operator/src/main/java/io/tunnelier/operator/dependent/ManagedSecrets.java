package io.tunnelier.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.Labels;

/**
 * The one informer of the Secrets the operator writes ({@link KeysSecret}, {@link
 * PeerConfigSecret}, {@link BackupPeerConfigSecrets}), which all three dependents use: one each
 * meant three list+watch streams and three caches of the same Secrets.
 */
public final class ManagedSecrets {
  public static final String NAME = "managed-secrets";

  private ManagedSecrets() {}

  public static InformerEventSource<Secret, Tunnel> eventSource(
      EventSourceContext<Tunnel> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Secret.class, Tunnel.class)
            .withName(NAME)
            .withLabelSelector(Labels.MANAGED_SELECTOR)
            // As a dependent's own informer maps: every one of these Secrets is owned by its
            // Tunnel.
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Tunnel.class, false))
            .build(),
        context);
  }
}
