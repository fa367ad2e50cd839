package io.tunnelier.agent.plan;

import io.tunnelier.agent.datapath.gre.GreOverhead;
import io.tunnelier.api.v1alpha1.Encapsulation;

/** Tunnel MTU from the underlay and the encapsulation's overhead (PERFORMANCE.md, measured). */
public final class Mtu {
  /** IPv4 20 + UDP 8 + WireGuard 32 (header 16 + tag 16): 60, a multiple of 16 fits padding. */
  public static final int WIREGUARD_OVERHEAD = 60;

  /** IPv4 20 + GRE with key 8 (RFC 2784 + 2890): the datapath's own arithmetic. */
  public static final int GRE_OVERHEAD = GreOverhead.bytes(false, false, true, false, false);

  /** IPv4 20 + UDP 8 + GRE with key 8. */
  public static final int GRE_OVER_UDP_OVERHEAD =
      GreOverhead.bytes(false, true, true, false, false);

  /** IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14. */
  public static final int VXLAN_OVERHEAD = 50;

  /** IPv4 20 + TCP 20: MSS = MTU - 40. */
  public static final int TCP_IP_HEADERS = 40;

  private Mtu() {}

  public static int overhead(Encapsulation e) {
    return switch (e == null ? Encapsulation.WIREGUARD : e) {
      case WIREGUARD -> WIREGUARD_OVERHEAD;
      case GRE -> GRE_OVERHEAD;
      case GRE_OVER_UDP -> GRE_OVER_UDP_OVERHEAD;
    };
  }

  /**
   * The first non-zero of: what the user asked, what the operator measured, underlay - overhead.
   */
  public static int tunnel(
      Integer requested, Integer fromStatus, int underlayMtu, Encapsulation e) {
    if (requested != null && requested > 0) {
      return requested;
    }
    if (fromStatus != null && fromStatus > 0) {
      return fromStatus;
    }
    return underlayMtu - overhead(e);
  }
}
