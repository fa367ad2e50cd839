package io.tunnelier.api.peerconfig;

import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The RFC 2890 key a GRE or GRE-in-UDP Tunnel's two ends put on every packet: {@code
 * spec.peer.greKey} when the user gave one, otherwise one derived from the Tunnel's UID. Both the
 * operator (rendering {@code peer.yaml}) and the cluster's agents (programming the gateway) call
 * this, so they agree without storing anything.
 *
 * <p>Why derived rather than generated and stored: the UID never changes while the Tunnel exists,
 * so the key survives operator restarts, leader changes and lost status writes with no state to
 * keep; it differs between clusters, so several clusters can share one VPS without picking keys (on
 * a collision, 1 in 2^32 per pair, the VPS's config check names both tunnels); and a stranger
 * cannot derive it from the Tunnel's name. A Tunnel deleted and created again gets a new UID, a new
 * key and a new {@code peer.yaml}, like its new addresses. The key is an identifier, not a secret:
 * it travels in clear text.
 *
 * <p>Egress only: its far end is always a VPS configured from the {@code peer.yaml} this cluster
 * renders. A SiteToSite Tunnel's far end may be another cluster with a Tunnel (and UID) of its own,
 * which could not derive the same key; there both sides keep {@code spec.peer.greKey} (or none).
 */
public final class GreKeys {
  private GreKeys() {}

  /**
   * The key for {@code tunnel}: its spec's, or derived from its UID for an Egress GRE or GREoverUDP
   * Tunnel; null for WireGuard, for SiteToSite without a key, and for a Tunnel without UID (not
   * from an API server: files in tests).
   */
  public static Long effective(Tunnel tunnel) {
    return effective(
        tunnel,
        tunnel.getSpec() == null || tunnel.getSpec().getPeer() == null
            ? null
            : new TunnelPeers.Peer(
                io.tunnelier.api.v1alpha1.BackupPeerSpec.PRIMARY, 0, tunnel.getSpec().getPeer()));
  }

  /**
   * The key towards one of the Tunnel's peers: its spec's, else for the primary the one derived
   * from the UID (as above), for a backup one derived from the UID and the backup's name, so each
   * VPS's tunnel has a key of its own.
   */
  public static Long effective(Tunnel tunnel, TunnelPeers.Peer peer) {
    Long given = peer == null ? null : peer.spec().getGreKey();
    if (given != null) {
      return given;
    }
    Encapsulation encap = tunnel.getSpec() == null ? null : tunnel.getSpec().getEncapsulation();
    String uid = tunnel.getMetadata() == null ? null : tunnel.getMetadata().getUid();
    if ((encap != Encapsulation.GRE && encap != Encapsulation.GRE_OVER_UDP)
        || tunnel.getSpec().getType() != TunnelType.EGRESS
        || uid == null
        || uid.isBlank()) {
      return null;
    }
    return derive(peer == null || peer.primary() ? uid : uid + "/" + peer.name());
  }

  /** The first 32 bits of SHA-256("tunnelier.io/gre-key " + uid), as an unsigned number. */
  static long derive(String uid) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(("tunnelier.io/gre-key " + uid).getBytes(StandardCharsets.UTF_8));
      return ((d[0] & 0xFFL) << 24)
          | ((d[1] & 0xFFL) << 16)
          | ((d[2] & 0xFFL) << 8)
          | (d[3] & 0xFFL);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
