package io.tunnelier.operator.status;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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

  /** Whether writing {@code desired} would change the operator's part of {@code current}. */
  public static boolean differs(TunnelStatus current, TunnelStatus desired) {
    return !Objects.equals(JSON.asJson(operatorPart(current)), JSON.asJson(operatorPart(desired)));
  }
}
