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
 * @param inbound cluster nodes: what may come in through our devices from the far side; null on a
 *     standalone host (no filter: everything is accepted there)
 * @param cachedView what of the plan comes from the agent's last good view because the API server
 *     did not answer (reported in status, not a problem: the tunnel keeps working); null otherwise
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
    String problem,
    Inbound inbound,
    String cachedView) {
  public TunnelPlan(
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
    this(id, role, type, device, vxlan, routing, nat, mss, killSwitch, problem, null, null);
  }

  public TunnelPlan(
      TunnelId id,
      Role role,
      TunnelType type,
      TunnelDevice device,
      VxlanHop vxlan,
      Routing routing,
      Nat nat,
      int mss,
      KillSwitch killSwitch,
      String problem,
      Inbound inbound) {
    this(id, role, type, device, vxlan, routing, nat, mss, killSwitch, problem, inbound, null);
  }

  public String key() {
    return id.key();
  }
}
