package io.tunnelier.agent.plan;

import java.util.List;

/**
 * The gateway's devices towards every VPS of a Tunnel with backup peers, and the one in use: the
 * plan's routes, NAT and kill switch name only {@code active}'s device; the others are up, with
 * their addresses, so their health is known before they are needed.
 *
 * @param peers every peer, primary first
 * @param active the peer whose device the plan routes through
 */
public record BackupPeers(List<PeerDevice> peers, String active) {
  public BackupPeers {
    peers = List.copyOf(peers);
  }

  /** The devices that are up but carry no traffic. */
  public List<TunnelDevice> standbyDevices() {
    return peers.stream()
        .filter(p -> p.device() != null && !p.peer().equals(active))
        .map(PeerDevice::device)
        .toList();
  }
}
