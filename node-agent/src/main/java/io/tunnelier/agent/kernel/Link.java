package io.tunnelier.agent.kernel;

/**
 * A link the agent wants (or found). Identity is the name.
 *
 * @param mtu 0: whatever it has (tunnel devices: the datapath sets it)
 * @param vxlan VXLAN attributes; null for other kinds
 * @param mac the link's address, or null: whatever the kernel chose
 */
public record Link(String name, LinkKind kind, int mtu, boolean up, Vxlan vxlan, String mac) {
  public static Link tunnel(String name) {
    return new Link(name, LinkKind.TUNNEL, 0, true, null, null);
  }

  /** Whether {@code live} cannot be turned into this link in place (must be re-created). */
  public boolean needsRecreate(Link live) {
    if (kind != live.kind) {
      return kind == LinkKind.VXLAN;
    }
    if (kind != LinkKind.VXLAN) {
      return false;
    }
    return !vxlan.equals(live.vxlan) || (mac != null && !mac.equalsIgnoreCase(live.mac));
  }
}
