package io.tunnelier.operator.status;

import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.address.Assignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code status.peerPaths}, for a Tunnel with backup peers: one entry per peer in priority order,
 * with the inner pair the operator gave it (the primary's mirrors {@code status.tunnelAddress}/
 * {@code peerAddress}) and the health the gateway's agent measured. Null without backups, so
 * existing Tunnels' status does not change. Pure.
 */
public final class PeerPaths {
  private PeerPaths() {}

  /**
   * The entries.
   *
   * @param primary the primary's addresses
   * @param backups each backup's addresses, by name
   * @param measured entries to take the health from, by name (the gateway's {@code peerPaths}, or
   *     those already in status); their addresses are ignored
   */
  public static List<PeerPathStatus> of(
      Tunnel tunnel,
      Assignment primary,
      Map<String, Assignment> backups,
      List<PeerPathStatus> measured) {
    if (!TunnelPeers.hasBackups(tunnel)) {
      return null;
    }
    List<PeerPathStatus> out = new ArrayList<>();
    for (TunnelPeers.Peer peer : TunnelPeers.of(tunnel)) {
      PeerPathStatus entry = new PeerPathStatus();
      entry.setName(peer.name());
      find(measured, peer.name())
          .ifPresent(
              m -> {
                entry.setEndpoint(m.getEndpoint());
                entry.setHealthy(m.getHealthy());
                entry.setReason(m.getReason());
                entry.setLossPercent(m.getLossPercent());
                entry.setRttMillis(m.getRttMillis());
                entry.setLastHandshakeTime(m.getLastHandshakeTime());
              });
      Assignment assignment = peer.primary() ? primary : backups.get(peer.name());
      Optional.ofNullable(assignment)
          .flatMap(Assignment::assigned)
          .ifPresent(
              pair -> {
                entry.setTunnelAddress(pair.local().toString());
                entry.setPeerAddress(pair.peer().toString());
              });
      out.add(entry);
    }
    return out;
  }

  /** Whether some backup has a pair that {@code recorded} (status.peerPaths) does not hold yet. */
  public static boolean unrecorded(List<PeerPathStatus> recorded, Map<String, Assignment> backups) {
    for (Map.Entry<String, Assignment> backup : backups.entrySet()) {
      Optional<AddressPair> pair = backup.getValue().assigned();
      if (pair.isEmpty()) {
        continue;
      }
      Optional<PeerPathStatus> entry = find(recorded, backup.getKey());
      if (entry.isEmpty()
          || !Objects.equals(entry.get().getTunnelAddress(), pair.get().local().toString())
          || !Objects.equals(entry.get().getPeerAddress(), pair.get().peer().toString())) {
        return true;
      }
    }
    return false;
  }

  /** The entry named {@code name}. */
  public static Optional<PeerPathStatus> find(List<PeerPathStatus> paths, String name) {
    if (paths == null || name == null) {
      return Optional.empty();
    }
    return paths.stream().filter(p -> name.equals(p.getName())).findFirst();
  }

  /** The position of {@code name} in {@code paths} (its priority); -1 when absent or empty. */
  static int priority(List<PeerPathStatus> paths, String name) {
    if (paths == null || name == null || name.isEmpty()) {
      return -1;
    }
    for (int i = 0; i < paths.size(); i++) {
      if (name.equals(paths.get(i).getName())) {
        return i;
      }
    }
    return -1;
  }
}
