package io.tunnelier.agent.plan;

/** What the node's kernel offers, from the capability probe at start. */
public record Capabilities(
    boolean tun, boolean gre, boolean wireguard, boolean vxlan, boolean nftables) {
  public static final Capabilities ALL = new Capabilities(true, true, true, true, true);

  /** This project's CI machines: TUN, VXLAN and nftables, no GRE or WireGuard modules. */
  public static final Capabilities NO_TUNNEL_MODULES =
      new Capabilities(true, false, false, true, true);

  @Override
  public String toString() {
    return "tun="
        + tun
        + " gre="
        + gre
        + " wireguard="
        + wireguard
        + " vxlan="
        + vxlan
        + " nftables="
        + nftables;
  }
}
