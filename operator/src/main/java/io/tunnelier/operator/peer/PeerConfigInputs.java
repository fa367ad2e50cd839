package io.tunnelier.operator.peer;

import io.tunnelier.api.keys.WireGuardKeyPair;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.BackupPeerSpec;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.address.AddressPair;
import java.util.List;

/**
 * What the far end's configuration is rendered from.
 *
 * @param tunnel the Tunnel
 * @param addresses its inner addresses (this end and the peer)
 * @param clusterPublicKey this end's public key (WireGuard)
 * @param peerKeys the far end's keys (WireGuard): a full pair when the operator generated it, only
 *     a public key (private null) when the user gave spec.peer.publicKey; null for GRE
 * @param localCidrs SiteToSite: this cluster's CIDRs the far end routes into the tunnel
 * @param allowedSources GRE: the gateway candidates' addresses the far end accepts the tunnel from
 * @param peer which of the Tunnel's VPS this is for (its endpoint, keepalive and GRE key); null:
 *     the primary, {@code spec.peer}
 * @param addresses6 the IPv6 pair beside {@code addresses} when the Tunnel carries IPv6; null
 *     otherwise
 */
public record PeerConfigInputs(
    Tunnel tunnel,
    AddressPair addresses,
    String clusterPublicKey,
    WireGuardKeyPair peerKeys,
    List<String> localCidrs,
    List<String> allowedSources,
    TunnelPeers.Peer peer,
    AddressPair addresses6) {

  public PeerConfigInputs {
    if (peer == null) {
      peer = new TunnelPeers.Peer(BackupPeerSpec.PRIMARY, 0, tunnel.getSpec().getPeer());
    }
  }

  public PeerConfigInputs(
      Tunnel tunnel,
      AddressPair addresses,
      String clusterPublicKey,
      WireGuardKeyPair peerKeys,
      List<String> localCidrs,
      List<String> allowedSources,
      TunnelPeers.Peer peer) {
    this(tunnel, addresses, clusterPublicKey, peerKeys, localCidrs, allowedSources, peer, null);
  }

  /** For the primary peer. */
  public PeerConfigInputs(
      Tunnel tunnel,
      AddressPair addresses,
      String clusterPublicKey,
      WireGuardKeyPair peerKeys,
      List<String> localCidrs,
      List<String> allowedSources) {
    this(tunnel, addresses, clusterPublicKey, peerKeys, localCidrs, allowedSources, null);
  }

  public PeerConfigInputs(
      Tunnel tunnel,
      AddressPair addresses,
      String clusterPublicKey,
      WireGuardKeyPair peerKeys,
      List<String> localCidrs) {
    this(tunnel, addresses, clusterPublicKey, peerKeys, localCidrs, List.of());
  }

  @Override
  public String toString() {
    return "PeerConfigInputs[" + tunnel.getMetadata().getName() + "/" + peer.name() + "]";
  }
}
