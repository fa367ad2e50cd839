package io.tunnelier.operator.address;

import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The inner pairs of a Tunnel's backup peers: each backup is one more claim in the same {@link
 * AddressAllocator} as every Tunnel's primary pair, so it gets the same guarantees (never shared,
 * stable across restarts) with no second bookkeeping. A backup's claim has the uid {@code <tunnel
 * uid>/peer/<name>} and records its pair in the Tunnel's {@code status.peerPaths[]} entry of that
 * name, the way the primary's pair is recorded in {@code status.tunnelAddress}/{@code peerAddress}.
 */
public final class BackupAddresses {
  private static final String SEPARATOR = "/peer/";

  private BackupAddresses() {}

  /** The allocator uid of backup {@code peer} of the Tunnel with {@code tunnelUid}. */
  public static String uid(String tunnelUid, String peer) {
    return tunnelUid + SEPARATOR + peer;
  }

  /** Whether {@code uid} is the claim of one of that Tunnel's backups. */
  static boolean isBackupOf(String tunnelUid, String uid) {
    return uid.startsWith(tunnelUid + SEPARATOR);
  }

  /**
   * One claim per backup in spec, priority order, with the pair its {@code status.peerPaths[]}
   * entry records. Backups removed from spec have none: the allocator forgets them on its next
   * rebuild, and {@link #assign} releases them at once.
   */
  public static List<AddressAllocator.Claim> claims(Tunnel tunnel) {
    Map<String, PeerPathStatus> recorded = recorded(tunnel);
    String uid = tunnel.getMetadata().getUid();
    String name = tunnel.getMetadata().getNamespace() + "/" + tunnel.getMetadata().getName();
    return TunnelPeers.of(tunnel).stream()
        .filter(p -> !p.primary())
        .map(
            p -> {
              Optional<PeerPathStatus> r = Optional.ofNullable(recorded.get(p.name()));
              return new AddressAllocator.Claim(
                  uid(uid, p.name()),
                  name + "/" + p.name(),
                  tunnel.getMetadata().getCreationTimestamp(),
                  null,
                  r.map(PeerPathStatus::getTunnelAddress).orElse(null),
                  r.map(PeerPathStatus::getPeerAddress).orElse(null));
            })
        .toList();
  }

  /**
   * Each backup's pair (or why it has none), by name in priority order; first releases the pairs of
   * backups no longer in spec. Empty for a Tunnel without backups.
   */
  public static Map<String, Assignment> assign(
      AddressAllocator allocator, Tunnel tunnel, AddressAllocator.Tunnels tunnels) {
    String tunnelUid = tunnel.getMetadata().getUid();
    List<AddressAllocator.Claim> claims = claims(tunnel);
    Set<String> wanted =
        claims.stream().map(AddressAllocator.Claim::uid).collect(Collectors.toSet());
    allocator.releaseIf(uid -> isBackupOf(tunnelUid, uid) && !wanted.contains(uid));
    Map<String, Assignment> out = new LinkedHashMap<>();
    for (AddressAllocator.Claim claim : claims) {
      out.put(
          claim.uid().substring(tunnelUid.length() + SEPARATOR.length()),
          allocator.assign(claim, tunnels));
    }
    return out;
  }

  /** Forgets every backup pair of a deleted Tunnel. */
  public static void releaseAll(AddressAllocator allocator, String tunnelUid) {
    allocator.releaseIf(uid -> isBackupOf(tunnelUid, uid));
  }

  private static Map<String, PeerPathStatus> recorded(Tunnel tunnel) {
    if (tunnel.getStatus() == null || tunnel.getStatus().getPeerPaths() == null) {
      return Map.of();
    }
    Map<String, PeerPathStatus> byName = new LinkedHashMap<>();
    for (PeerPathStatus p : tunnel.getStatus().getPeerPaths()) {
      if (p.getName() != null) {
        byName.putIfAbsent(p.getName(), p);
      }
    }
    return byName;
  }
}
