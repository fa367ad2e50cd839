package io.tunnelier.operator.status;

import io.tunnelier.api.v1alpha1.DetourStatus;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.PeerStatus;
import java.util.Optional;

/**
 * What the active gateway's agent measured about the path to the peer, as {@code status.peer} and
 * {@code status.detour} show it. Only the gateway runs the tunnel, so only its entry counts. Pure.
 */
public final class PeerMeasurements {
  private PeerMeasurements() {}

  /** {@code status.peer} from the gateway's entry; empty when it reports none of it. */
  public static Optional<PeerStatus> peer(NodeStatus gateway) {
    if (gateway.getPeerEndpoint() == null
        && gateway.getLastHandshakeTime() == null
        && gateway.getRttMillis() == null
        && gateway.getLossPercent() == null
        && gateway.getRxBytes() == null
        && gateway.getTxBytes() == null) {
      return Optional.empty();
    }
    PeerStatus peer = new PeerStatus();
    peer.setEndpoint(gateway.getPeerEndpoint());
    peer.setLastHandshakeTime(gateway.getLastHandshakeTime());
    peer.setRttMillis(gateway.getRttMillis());
    peer.setLossPercent(gateway.getLossPercent());
    peer.setRxBytes(gateway.getRxBytes());
    peer.setTxBytes(gateway.getTxBytes());
    return Optional.of(peer);
  }

  /**
   * {@code status.detour}: the direct RTT next to the RTT through the tunnel. Empty while the
   * gateway reports no direct RTT: the tunnel's RTT alone is already {@code status.peer.rttMillis}
   * and says nothing about the detour.
   */
  public static Optional<DetourStatus> detour(NodeStatus gateway) {
    if (gateway.getDirectRttMillis() == null) {
      return Optional.empty();
    }
    DetourStatus detour = new DetourStatus();
    detour.setDirectRttMillis(gateway.getDirectRttMillis());
    detour.setViaTunnelRttMillis(gateway.getRttMillis());
    return Optional.of(detour);
  }
}
