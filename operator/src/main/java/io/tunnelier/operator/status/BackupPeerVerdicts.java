package io.tunnelier.operator.status;

import static io.tunnelier.operator.status.TunnelConditions.ADDRESS_POOL_EXHAUSTED;
import static io.tunnelier.operator.status.TunnelConditions.DEGRADED;
import static io.tunnelier.operator.status.TunnelConditions.ON_BACKUP_PEER;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.address.Assignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Tunnel's backup peers add to its conditions: Ready False while the gateway finds no
 * healthy peer, Degraded while traffic leaves through a backup, and Degraded when a backup got no
 * addresses. Nothing for a Tunnel without backups, or while the gateway's agent reports no {@code
 * activePeer} (not yet, or an agent that predates backups). Pure.
 */
final class BackupPeerVerdicts {
  private BackupPeerVerdicts() {}

  /** The message of Ready False {@code NoHealthyPeer}, when the gateway reports none in use. */
  static Optional<String> noHealthyPeer(Tunnel tunnel, String node, NodeStatus gateway) {
    if (!TunnelPeers.hasBackups(tunnel) || !"".equals(gateway.getActivePeer())) {
      return Optional.empty();
    }
    List<String> peers = new ArrayList<>();
    for (TunnelPeers.Peer peer : TunnelPeers.of(tunnel)) {
      peers.add(describe(peer, gateway));
    }
    return Optional.of(
        "no peer is healthy from gateway "
            + node
            + ": "
            + String.join("; ", peers)
            + ". The kill switch holds the selected pods' traffic until one is");
  }

  /**
   * Degraded True for a working Tunnel with backups, most urgent first: traffic leaves through a
   * backup ({@code OnBackupPeer}: another VPS, another public address), then backups without
   * addresses ({@code AddressPoolExhausted}: no failover to them).
   */
  static Optional<Condition> degraded(
      Tunnel tunnel, Optional<NodeStatus> gateway, Map<String, Assignment> backups) {
    if (!TunnelPeers.hasBackups(tunnel)) {
      return Optional.empty();
    }
    Optional<Condition> onBackup = gateway.flatMap(g -> onBackupPeer(tunnel, g));
    if (onBackup.isPresent()) {
      return onBackup;
    }
    List<String> unassigned = new ArrayList<>();
    String pool = null;
    for (Map.Entry<String, Assignment> b : backups.entrySet()) {
      if (b.getValue() instanceof Assignment.PoolExhausted exhausted) {
        unassigned.add(b.getKey());
        pool = exhausted.pool();
      }
    }
    if (unassigned.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        Conditions.of(
            DEGRADED,
            true,
            ADDRESS_POOL_EXHAUSTED,
            "no free /31 left in the address pool "
                + pool
                + " for backup peer"
                + (unassigned.size() == 1 ? " " : "s ")
                + String.join(", ", unassigned)
                + ": the Tunnel works without "
                + (unassigned.size() == 1 ? "it" : "them")
                + " and cannot fail over to "
                + (unassigned.size() == 1 ? "it" : "them")
                + "; delete unused Tunnels or widen addressPool in the operator configuration"));
  }

  private static Optional<Condition> onBackupPeer(Tunnel tunnel, NodeStatus gateway) {
    String active = gateway.getActivePeer();
    List<TunnelPeers.Peer> peers = TunnelPeers.of(tunnel);
    if (active == null || active.isEmpty() || peers.get(0).name().equals(active)) {
      return Optional.empty();
    }
    List<String> before = new ArrayList<>();
    TunnelPeers.Peer inUse = null;
    for (TunnelPeers.Peer peer : peers) {
      if (peer.name().equals(active)) {
        inUse = peer;
        break;
      }
      before.add(peer.name() + " unhealthy: " + reason(peer, gateway));
    }
    String through =
        inUse == null
            ? active + " (no longer in spec.backupPeers)"
            : active + " (" + endpoint(inUse, gateway) + ")";
    return Optional.of(
        Conditions.of(
            DEGRADED,
            true,
            ON_BACKUP_PEER,
            String.join("; ", before) + "; traffic leaves through " + through));
  }

  /** {@code name (endpoint): reason}, or {@code name (endpoint): healthy}. */
  private static String describe(TunnelPeers.Peer peer, NodeStatus gateway) {
    Optional<PeerPathStatus> measured = PeerPaths.find(gateway.getPeerPaths(), peer.name());
    String state =
        measured.map(PeerPathStatus::getHealthy).orElse(false) ? "healthy" : reason(peer, gateway);
    return peer.name() + " (" + endpoint(peer, gateway) + "): " + state;
  }

  private static String reason(TunnelPeers.Peer peer, NodeStatus gateway) {
    return PeerPaths.find(gateway.getPeerPaths(), peer.name())
        .map(PeerPathStatus::getReason)
        .filter(r -> !r.isBlank())
        .orElse("no report from the gateway");
  }

  /** Where the gateway sends packets to the peer, else the endpoint in spec. */
  private static String endpoint(TunnelPeers.Peer peer, NodeStatus gateway) {
    return PeerPaths.find(gateway.getPeerPaths(), peer.name())
        .map(PeerPathStatus::getEndpoint)
        .filter(e -> !e.isBlank())
        .orElse(peer.spec().getEndpoint());
  }
}
