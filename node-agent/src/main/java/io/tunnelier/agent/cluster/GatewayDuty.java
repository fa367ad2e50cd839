package io.tunnelier.agent.cluster;

import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.Collection;

/**
 * Whether this node must keep a heartbeat: it is the active or a standby gateway of a Tunnel (in
 * the operator's last election, {@code status.activeGateway} and {@code status.standbyGateways}).
 * Other nodes never carry a tunnel, so they cost the API server no renewals. Pure.
 */
public final class GatewayDuty {
  private GatewayDuty() {}

  public static boolean of(Collection<Tunnel> tunnels, String node) {
    for (Tunnel t : tunnels) {
      if (t.getStatus() == null || t.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (node.equals(t.getStatus().getActiveGateway())) {
        return true;
      }
      if (t.getStatus().getStandbyGateways() != null
          && t.getStatus().getStandbyGateways().contains(node)) {
        return true;
      }
    }
    return false;
  }
}
