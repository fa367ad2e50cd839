package io.tunnelier.operator.status;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.util.Objects;

/**
 * The operator's part of a status (all but the agents' {@code nodes[]}), and whether it changed.
 */
public final class StatusComparison {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private StatusComparison() {}

  /** A copy of the status without {@code nodes}; an empty status for null. */
  public static TunnelStatus operatorPart(TunnelStatus status) {
    if (status == null) {
      return new TunnelStatus();
    }
    TunnelStatus copy = JSON.clone(status);
    copy.setNodes(null);
    return copy;
  }

  /**
   * Whether the operator's parts differ in more than the gateway's measurements: RTT, loss, bytes
   * and last handshake of {@code peer} and of each {@code peerPaths} entry, and {@code detour}.
   * They move with every report an agent makes; everything else is news.
   */
  public static boolean differsBeyondMeasurements(TunnelStatus current, TunnelStatus desired) {
    return !Objects.equals(
        JSON.asJson(withoutMeasurements(current)), JSON.asJson(withoutMeasurements(desired)));
  }

  private static TunnelStatus withoutMeasurements(TunnelStatus status) {
    TunnelStatus s = operatorPart(status);
    if (s.getPeer() != null) {
      s.getPeer().setRttMillis(null);
      s.getPeer().setLossPercent(null);
      s.getPeer().setRxBytes(null);
      s.getPeer().setTxBytes(null);
      s.getPeer().setLastHandshakeTime(null);
    }
    s.setDetour(null);
    if (s.getPeerPaths() != null) {
      for (PeerPathStatus p : s.getPeerPaths()) {
        p.setRttMillis(null);
        p.setLossPercent(null);
        p.setLastHandshakeTime(null);
      }
    }
    return s;
  }

  /** Whether writing {@code desired} would change the operator's part of {@code current}. */
  public static boolean differs(TunnelStatus current, TunnelStatus desired) {
    return !Objects.equals(JSON.asJson(operatorPart(current)), JSON.asJson(operatorPart(desired)));
  }
}
