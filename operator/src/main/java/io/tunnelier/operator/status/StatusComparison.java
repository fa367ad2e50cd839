package io.tunnelier.operator.status;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.tunnelier.api.v1alpha1.DetourStatus;
import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.PeerStatus;
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
   * moved: an RTT by at least {@link #RTT_MOVED_MILLIS} and {@link #RTT_MOVED_FRACTION} of the
   * shown one, any loss, a new handshake; in {@code peer}, {@code detour} or a {@code peerPaths}
   * entry. Bytes never count (they grow with every probe), nor does an RTT's jitter: written at
   * every report, each was a new version of the whole Tunnel to every watcher.
   */
  public static boolean readingsMoved(TunnelStatus current, TunnelStatus desired) {
    if (current == null || desired == null) {
      return true;
    }
    PeerStatus a = current.getPeer();
    PeerStatus b = desired.getPeer();
    if (a != null && b != null) {
      if (rttMoved(a.getRttMillis(), b.getRttMillis())
          || !Objects.equals(a.getLossPercent(), b.getLossPercent())
          || !Objects.equals(a.getLastHandshakeTime(), b.getLastHandshakeTime())) {
        return true;
      }
    }
    DetourStatus da = current.getDetour();
    DetourStatus db = desired.getDetour();
    if (da != null
        && db != null
        && (rttMoved(da.getDirectRttMillis(), db.getDirectRttMillis())
            || rttMoved(da.getViaTunnelRttMillis(), db.getViaTunnelRttMillis()))) {
      return true;
    }
    List<PeerPathStatus> pa = current.getPeerPaths();
    List<PeerPathStatus> pb = desired.getPeerPaths();
    if (pa != null && pb != null) {
      for (int i = 0; i < Math.min(pa.size(), pb.size()); i++) {
        PeerPathStatus x = pa.get(i);
        PeerPathStatus y = pb.get(i);
        if (rttMoved(x.getRttMillis(), y.getRttMillis())
            || !Objects.equals(x.getLossPercent(), y.getLossPercent())
            || !Objects.equals(x.getLastHandshakeTime(), y.getLastHandshakeTime())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * An RTT change smaller than this is jitter, whatever the fraction: the agents report one probe's
   * RTT, and on a busy node a LAN's 0.5 ms sample reads 2 or 3 ms now and then (with 1 ms, 144 of
   * 201 idle lab Tunnels a minute counted as moved).
   */
  static final double RTT_MOVED_MILLIS = 5.0;

  /** An RTT change smaller than this fraction of the shown RTT is jitter (a path's 20 ± 2 ms). */
  static final double RTT_MOVED_FRACTION = 0.2;

  private static boolean rttMoved(Double shown, Double now) {
    if (shown == null || now == null) {
      return !Objects.equals(shown, now);
    }
    double change = Math.abs(now - shown);
    return change >= RTT_MOVED_MILLIS && change >= RTT_MOVED_FRACTION * shown;
  }

  private static Double present(Double value) {
    return value == null ? null : 0.0;
  }

  private static String present(String value) {
    return value == null ? null : "";
  }

  private static Long counted(Long bytes) {
    return bytes == null || bytes == 0 ? null : 1L;
  }

  /** Whether writing {@code desired} would change the operator's part of {@code current}. */
  public static boolean differs(TunnelStatus current, TunnelStatus desired) {
    return !Objects.equals(JSON.asJson(operatorPart(current)), JSON.asJson(operatorPart(desired)));
  }
}
