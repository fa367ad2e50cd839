package io.tunnelier.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.tunnelier.api.keys.WireGuardKeyPair;
import io.tunnelier.api.keys.X25519Keys;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.Labels;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.address.Assignment;
import io.tunnelier.operator.peer.PeerConfigInputs;
import io.tunnelier.operator.reconciler.TunnelPlan;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code <name>-peer-config-<peer>} Secrets, one per backup peer, owned by the Tunnel (deleted
 * with it by the garbage collector). Content as for the primary ({@link PeerConfigSecretSpec}),
 * with the backup's endpoint, addresses, GRE key and keys.
 *
 * <p>Why one JOSDK bulk dependent: the number of Secrets follows spec.backupPeers, and a bulk
 * dependent reconciles such a set with the same informer, ownership, server-side apply and matching
 * as the other dependents, and deletes the Secrets of backups removed from spec. Explicit client
 * calls in the reconciler would need all of that again, and a cache to read generated keys back.
 *
 * <p>Its Secrets are the ones with the {@link Labels#PEER} label; the keys and primary Secrets,
 * owned by the same Tunnel, are never touched. A backup still in spec whose Secret cannot be
 * rendered now (no addresses yet, the pool exhausted, this end's keys Secret not there yet) is left
 * as it is, never deleted: it holds that backup's generated keypair.
 */
public class BackupPeerConfigSecrets extends KubernetesDependentResource<Secret, Tunnel>
    implements CRUDKubernetesBulkDependentResource<Secret, Tunnel>, GarbageCollected<Tunnel> {
  public static final String NAME = "backup-peer-config-secrets";

  private final MatchMemo<Secret> matches = new MatchMemo<>();

  public BackupPeerConfigSecrets() {
    super(Secret.class);
  }

  @Override
  public Matcher.Result<Secret> match(
      Secret actual, Secret desired, Tunnel tunnel, Context<Tunnel> context) {
    return matches.match(actual, desired, () -> super.match(actual, desired, tunnel, context));
  }

  @Override
  public Map<ResourceID, Secret> desiredResources(Tunnel tunnel, Context<Tunnel> context) {
    Map<String, Secret> existing = existing(tunnel, context);
    Map<ResourceID, Secret> desired = new LinkedHashMap<>();
    renderable(tunnel, context)
        .ifPresent(
            r ->
                r.backups()
                    .forEach(
                        (peer, pair) -> {
                          Secret secret =
                              PeerConfigSecretSpec.desired(
                                  new PeerConfigInputs(
                                      tunnel,
                                      pair,
                                      r.clusterPublicKey(),
                                      PeerConfigSecretSpec.peerKeys(
                                          tunnel,
                                          peer,
                                          Optional.ofNullable(existing.get(peer.name())),
                                          X25519Keys::generate),
                                      r.plan().localCidrs(),
                                      r.plan().gatewaySources(),
                                      peer,
                                      r.plan().ipv6(pair)));
                          desired.put(ResourceID.fromResource(secret), secret);
                        }));
    return desired;
  }

  /**
   * The backup Secrets that exist, but for those of backups still in spec that cannot be rendered
   * now: what is not listed here and not desired is deleted.
   */
  @Override
  public Map<ResourceID, Secret> getSecondaryResources(Tunnel tunnel, Context<Tunnel> context) {
    Set<String> inSpec =
        TunnelPeers.of(tunnel).stream()
            .filter(p -> !p.primary())
            .map(TunnelPeers.Peer::name)
            .collect(Collectors.toSet());
    Set<String> rendered =
        renderable(tunnel, context)
            .map(r -> r.backups().keySet().stream().map(TunnelPeers.Peer::name))
            .orElseGet(Stream::empty)
            .collect(Collectors.toSet());
    Map<ResourceID, Secret> out = new LinkedHashMap<>();
    existing(tunnel, context)
        .forEach(
            (peer, secret) -> {
              if (!inSpec.contains(peer) || rendered.contains(peer)) {
                out.put(ResourceID.fromResource(secret), secret);
              }
            });
    return out;
  }

  /**
   * What the backups' Secrets can be rendered from now.
   *
   * @param backups the backups with addresses, priority order
   */
  private record Renderable(
      TunnelPlan plan, String clusterPublicKey, Map<TunnelPeers.Peer, AddressPair> backups) {}

  /**
   * Empty until the primary has its addresses (as for the primary's Secret, {@link
   * AddressAssigned}) and, for WireGuard, this end's keys Secret exists.
   */
  private static Optional<Renderable> renderable(Tunnel tunnel, Context<Tunnel> context) {
    Optional<TunnelPlan> plan =
        context
            .managedWorkflowAndDependentResourceContext()
            .get(TunnelPlan.class, TunnelPlan.class);
    if (plan.isEmpty() || plan.get().assignment().assigned().isEmpty()) {
      return Optional.empty();
    }
    String clusterPublicKey = null;
    if (tunnel.getSpec().getEncapsulation() == Encapsulation.WIREGUARD) {
      Optional<WireGuardKeyPair> keys = TunnelSecrets.keys(tunnel, context);
      if (keys.isEmpty()) {
        return Optional.empty();
      }
      clusterPublicKey = keys.get().publicKey();
    }
    Map<TunnelPeers.Peer, AddressPair> backups = new LinkedHashMap<>();
    for (TunnelPeers.Peer peer : TunnelPeers.of(tunnel)) {
      if (!peer.primary()) {
        Optional.ofNullable(plan.get().backupAssignments().get(peer.name()))
            .flatMap(Assignment::assigned)
            .ifPresent(pair -> backups.put(peer, pair));
      }
    }
    return Optional.of(new Renderable(plan.get(), clusterPublicKey, backups));
  }

  /**
   * The Tunnel's backup Secrets that exist, by peer name, from the cache of {@link ManagedSecrets}.
   */
  private static Map<String, Secret> existing(Tunnel tunnel, Context<Tunnel> context) {
    String prefix = TunnelPeers.configSecretName(tunnel.getMetadata().getName(), "");
    Map<String, Secret> byPeer = new LinkedHashMap<>();
    context
        .getSecondaryResourcesAsStream(Secret.class)
        .filter(s -> tunnel.getMetadata().getNamespace().equals(s.getMetadata().getNamespace()))
        .filter(s -> s.getMetadata().getLabels() != null)
        .forEach(
            s -> {
              String peer = s.getMetadata().getLabels().get(Labels.PEER);
              // The name check guards against a label copied onto another Secret by hand.
              if (peer != null && s.getMetadata().getName().equals(prefix + peer)) {
                byPeer.putIfAbsent(peer, s);
              }
            });
    return byPeer;
  }
}
