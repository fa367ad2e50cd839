package io.tunnelier.agent.plan;

import io.tunnelier.agent.datapath.gre.GreOverhead;
import io.tunnelier.api.net.IpFamily;
import io.tunnelier.api.peerconfig.HostPort;
import io.tunnelier.api.v1alpha1.Encapsulation;
import java.util.Collection;

/**
 * Tunnel MTU from the underlay and the encapsulation's overhead (PERFORMANCE.md, measured). The
 * constants are for an IPv4 underlay; an IPv6 one adds {@link #IPV6_UNDERLAY_EXTRA}.
 */
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

  /** An IPv6 outer header is 40 bytes, not 20. */
  public static final int IPV6_UNDERLAY_EXTRA = GreOverhead.IPV6 - GreOverhead.IPV4;

  private Mtu() {}

  /** The overhead over an IPv4 underlay. */
  public static int overhead(Encapsulation e) {
    return switch (e == null ? Encapsulation.WIREGUARD : e) {
      case WIREGUARD -> WIREGUARD_OVERHEAD;
      case GRE -> GRE_OVERHEAD;
      case GRE_OVER_UDP -> GRE_OVER_UDP_OVERHEAD;
    };
  }

  /** The overhead when the outer header is of {@code underlay}'s family. */
  public static int overhead(Encapsulation e, IpFamily underlay) {
    return overhead(e) + (underlay == IpFamily.IPV6 ? IPV6_UNDERLAY_EXTRA : 0);
  }

  /**
   * The family of the outer header towards these endpoints ({@code host[:port]}): IPv6 if any is an
   * [IPv6] literal, so one MTU fits every VPS a tunnel may fail over to. A DNS name counts as IPv4,
   * the family the agent's resolver prefers (docs/api.md, {@code peer.endpoint}).
   */
  public static IpFamily underlayFamily(Collection<String> endpoints) {
    for (String e : endpoints) {
      if (e != null && !e.isBlank()) {
        try {
          if (HostPort.parse(e).family() == IpFamily.IPV6) {
            return IpFamily.IPV6;
          }
        } catch (IllegalArgumentException ignored) {
          // the API refuses these; an invalid endpoint opens no datapath either
        }
      }
    }
    return IpFamily.IPV4;
  }

  /**
   * The first non-zero of: what the user asked, what the operator measured, underlay - overhead.
   */
  public static int tunnel(
      Integer requested,
      Integer fromStatus,
      int underlayMtu,
      Encapsulation e,
      IpFamily underlayFamily) {
    if (requested != null && requested > 0) {
      return requested;
    }
    if (fromStatus != null && fromStatus > 0) {
      return fromStatus;
    }
    return underlayMtu - overhead(e, underlayFamily);
  }
}
