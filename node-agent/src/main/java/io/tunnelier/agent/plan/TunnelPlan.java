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
 * @param backupPeers a gateway of a Tunnel with backup peers: every peer's device and the one in
 *     use ({@code device} is that one's); null otherwise
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
    String cachedView,
    BackupPeers backupPeers) {
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
      Inbound inbound,
      String cachedView) {
    this(
        id,
        role,
        type,
        device,
        vxlan,
        routing,
        nat,
        mss,
        killSwitch,
        problem,
        inbound,
        cachedView,
        null);
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
      String problem) {
    this(id, role, type, device, vxlan, routing, nat, mss, killSwitch, problem, null, null, null);
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
    this(
        id, role, type, device, vxlan, routing, nat, mss, killSwitch, problem, inbound, null, null);
  }

  public String key() {
    return id.key();
  }

  /**
   * Every device of this plan with its datapath's key: the Tunnel's key for its device (the primary
   * peer's), {@code key#peer} for a backup peer's. Keys do not follow the peer in use, so a switch
   * opens and closes nothing.
   */
  public java.util.Map<String, TunnelDevice> datapaths() {
    java.util.Map<String, TunnelDevice> out = new java.util.LinkedHashMap<>();
    if (backupPeers == null) {
      if (device != null) {
        out.put(key(), device);
      }
      return out;
    }
    for (PeerDevice d : backupPeers.peers()) {
      if (d.device() != null) {
        out.put(datapathKey(d), d.device());
      }
    }
    return out;
  }

  /** The key of the datapath that carries the traffic ({@link #datapaths()}). */
  public String activeDatapathKey() {
    if (backupPeers == null) {
      return key();
    }
    return backupPeers.peers().stream()
        .filter(d -> d.peer().equals(backupPeers.active()))
        .findFirst()
        .map(this::datapathKey)
        .orElse(key());
  }

  /** A peer's datapath key: see {@link #datapaths()}. */
  public String datapathKey(PeerDevice d) {
    return d.priority() == 0 ? key() : key() + "#" + d.peer();
  }
}
