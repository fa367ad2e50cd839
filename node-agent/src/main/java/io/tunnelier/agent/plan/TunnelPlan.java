package io.tunnelier.agent.plan;

import io.tunnelier.api.v1alpha1.TunnelType;

/**
 * What one tunnel needs on this host: computed by a planner from the cluster (or the standalone
 * config), turned into kernel objects by {@link DesiredStateFunction}. Every part may be null when
 * this host does not need it.
 *
 * @param mss TCP MSS to clamp to in both directions; 0: no clamping
 * @param problem why the tunnel cannot be fully programmed here (reported in status); the parts
 *     that are safe (the kill switch above all) are still present
 */
public record TunnelPlan(
    TunnelId id,
    Role role,
    TunnelType type,
    TunnelDevice device,
    VxlanHop vxlan,
    Routing routing,
    Nat nat,
    int mss,
    KillSwitch killSwitch,
    String problem) {
  public String key() {
    return id.key();
  }
}
