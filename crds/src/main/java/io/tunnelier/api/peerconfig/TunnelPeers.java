package io.tunnelier.api.peerconfig;

import io.tunnelier.api.v1alpha1.BackupPeerSpec;
import io.tunnelier.api.v1alpha1.PeerSpec;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.ArrayList;
import java.util.List;

/**
 * A Tunnel's VPS in priority order: {@code spec.peer} (named {@value BackupPeerSpec#PRIMARY}), then
 * {@code spec.backupPeers}. The operator (addresses, peer configs) and the gateway's agent (one
 * tunnel device each, the choice of the one in use) read them through this, so both agree on names,
 * order and Secret names.
 */
public final class TunnelPeers {
  private TunnelPeers() {}

  /**
   * One VPS of a Tunnel.
   *
   * @param priority 0 for the primary, then 1, 2, 3 in {@code backupPeers} order
   */
  public record Peer(String name, int priority, PeerSpec spec) {
    public boolean primary() {
      return priority == 0;
    }
  }

  /** Every peer, primary first; empty when the Tunnel has no {@code spec.peer}. */
  public static List<Peer> of(Tunnel tunnel) {
    List<Peer> out = new ArrayList<>();
    if (tunnel.getSpec() == null || tunnel.getSpec().getPeer() == null) {
      return out;
    }
    out.add(new Peer(BackupPeerSpec.PRIMARY, 0, tunnel.getSpec().getPeer()));
    List<BackupPeerSpec> backups = tunnel.getSpec().getBackupPeers();
    if (backups != null) {
      for (BackupPeerSpec b : backups) {
        out.add(new Peer(b.getName(), out.size(), b));
      }
    }
    return out;
  }

  /** Whether the Tunnel has backup peers (and so status.peerPaths and per-peer devices). */
  public static boolean hasBackups(Tunnel tunnel) {
    return tunnel.getSpec() != null
        && tunnel.getSpec().getBackupPeers() != null
        && !tunnel.getSpec().getBackupPeers().isEmpty();
  }

  /**
   * The Secret with what the far end needs: {@code <tunnel>-peer-config} for the primary, {@code
   * <tunnel>-peer-config-<peer>} for a backup.
   */
  public static String configSecretName(String tunnelName, String peerName) {
    return BackupPeerSpec.PRIMARY.equals(peerName)
        ? tunnelName + "-peer-config"
        : tunnelName + "-peer-config-" + peerName;
  }
}
