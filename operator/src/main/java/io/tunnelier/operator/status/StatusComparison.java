package io.tunnelier.operator.status;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tunnelier.api.v1alpha1.DetourStatus;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.PeerStatus;
import io.tunnelier.api.v1alpha1.Reading;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.util.List;
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
   * They move with every report an agent makes; everything else is news, and so is a measurement's
   * first value (the first RTT, the first bytes, the first handshake): users wait for those.
   */
  public static boolean differsBeyondMeasurements(TunnelStatus current, TunnelStatus desired) {
    return !Objects.equals(
        JSON.asJson(withoutMeasurements(current)), JSON.asJson(withoutMeasurements(desired)));
  }

  // Each measurement reduced to whether it has a value yet.
  private static TunnelStatus withoutMeasurements(TunnelStatus status) {
    TunnelStatus s = operatorPart(status);
    if (s.getPeer() != null) {
      s.getPeer().setRttMillis(present(s.getPeer().getRttMillis()));
      s.getPeer().setLossPercent(present(s.getPeer().getLossPercent()));
      s.getPeer().setRxBytes(counted(s.getPeer().getRxBytes()));
      s.getPeer().setTxBytes(counted(s.getPeer().getTxBytes()));
      s.getPeer().setLastHandshakeTime(present(s.getPeer().getLastHandshakeTime()));
    }
    if (s.getDetour() != null) {
      s.setDetour(new DetourStatus());
    }
    if (s.getPeerPaths() != null) {
      for (PeerPathStatus p : s.getPeerPaths()) {
        p.setRttMillis(present(p.getRttMillis()));
        p.setLossPercent(present(p.getLossPercent()));
        p.setLastHandshakeTime(present(p.getLastHandshakeTime()));
      }
    }
    return s;
  }

  /**
   * Whether, of two statuses alike beyond their measurements, {@code desired} shows a reading that
   * moved ({@link Reading#movedFrom}: an RTT beyond its jitter, any loss, a new handshake) in
   * {@code peer}, {@code detour} or a {@code peerPaths} entry. Bytes never count.
   */
  public static boolean readingsMoved(TunnelStatus current, TunnelStatus desired) {
    if (current == null || desired == null) {
      return true;
    }
    PeerStatus a = current.getPeer();
    PeerStatus b = desired.getPeer();
    if (a != null && b != null && Reading.of(b).movedFrom(Reading.of(a))) {
      return true;
    }
    DetourStatus da = current.getDetour();
    DetourStatus db = desired.getDetour();
    if (da != null
        && db != null
        && (Reading.rttMoved(da.getDirectRttMillis(), db.getDirectRttMillis())
            || Reading.rttMoved(da.getViaTunnelRttMillis(), db.getViaTunnelRttMillis()))) {
      return true;
    }
    List<PeerPathStatus> pa = current.getPeerPaths();
    List<PeerPathStatus> pb = desired.getPeerPaths();
    if (pa != null && pb != null) {
      for (int i = 0; i < Math.min(pa.size(), pb.size()); i++) {
        if (Reading.of(pb.get(i)).movedFrom(Reading.of(pa.get(i)))) {
          return true;
        }
      }
    }
    return false;
  }

  private static Double present(Double value) {
    return value == null ? null : 0.0;
  }

  private static String present(String value) {
    return value == null ? null : "";
  }

  private static Long counted(Long bytes) {
    return Reading.counted(bytes) ? 1L : null;
  }

  /** Whether writing {@code desired} would change the operator's part of {@code current}. */
  public static boolean differs(TunnelStatus current, TunnelStatus desired) {
    return !Objects.equals(JSON.asJson(operatorPart(current)), JSON.asJson(operatorPart(desired)));
  }
}
