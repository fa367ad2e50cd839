package io.tunnelier.agent.cluster;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.util.Objects;

/**
 * Which Tunnel updates can change what an agent programs. Most updates of a busy Tunnel are status
 * reports: every node's {@code status.nodes[]} entry and the operator's conditions. Each one made
 * every agent re-read the kernel and recompute every tunnel; with 200 Tunnels that was a pass per
 * report on every node. The agents' plans read the spec (its changes bump {@code generation}), the
 * identity and deletion of the Tunnel, and these status fields only. The informer's store keeps no
 * more ({@link KubeObjects#pruneTunnel}), and the old object of an update comes from that store: a
 * field compared here must be kept there, or every update would look like a change.
 */
public final class TunnelChanges {
  private TunnelChanges() {}

  /** Whether the update from {@code before} to {@code after} may change an agent's plan. */
  public static boolean mattersToAgents(Tunnel before, Tunnel after) {
    if (before == null || after == null) {
      return true;
    }
    return !sameMetadata(before.getMetadata(), after.getMetadata())
        || !sameStatus(before.getStatus(), after.getStatus());
  }

  private static boolean sameMetadata(ObjectMeta a, ObjectMeta b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getUid(), b.getUid())
        && Objects.equals(a.getGeneration(), b.getGeneration())
        && Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp());
  }

  private static boolean sameStatus(TunnelStatus a, TunnelStatus b) {
    TunnelStatus x = a == null ? new TunnelStatus() : a;
    TunnelStatus y = b == null ? new TunnelStatus() : b;
    return Objects.equals(x.getActiveGateway(), y.getActiveGateway())
        && Objects.equals(x.getStandbyGateways(), y.getStandbyGateways())
        && Objects.equals(x.getTunnelAddress(), y.getTunnelAddress())
        && Objects.equals(x.getPeerAddress(), y.getPeerAddress())
        && Objects.equals(x.getTunnelAddress6(), y.getTunnelAddress6())
        && Objects.equals(x.getPeerAddress6(), y.getPeerAddress6())
        && Objects.equals(x.getPublicKey(), y.getPublicKey())
        && Objects.equals(x.getMtu(), y.getMtu());
  }
}
