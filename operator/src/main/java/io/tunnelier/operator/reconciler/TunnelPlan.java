package io.tunnelier.operator.reconciler;

import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.address.Assignment;
import io.tunnelier.operator.address.Ipv6Pool;
import io.tunnelier.operator.gateway.Election;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reconcile decided before its dependents are reconciled: the Tunnel's addresses, its
 * gateway, and this cluster's CIDRs. The reconciler puts it in the context; the dependents read it.
 *
 * @param assignment the Tunnel's addresses, or why it has none
 * @param election its gateway
 * @param localCidrs this cluster's pod CIDRs (from the Nodes), for SiteToSite without localCIDRs
 * @param gatewaySources the gateway candidates' ExternalIPs (/32), the far end's allowedSources
 * @param backupAssignments each backup peer's addresses, or why it has none, by name in priority
 *     order; empty without backups
 * @param pool6 where the IPv6 inner pairs are embedded when the Tunnel carries IPv6 ({@link
 *     Ipv6Pool#carries}); null otherwise
 */
public record TunnelPlan(
    Assignment assignment,
    Election election,
    List<String> localCidrs,
    List<String> gatewaySources,
    Map<String, Assignment> backupAssignments,
    Ipv6Pool pool6) {
  public TunnelPlan {
    localCidrs = List.copyOf(localCidrs);
    gatewaySources = gatewaySources == null ? List.of() : List.copyOf(gatewaySources);
    backupAssignments =
        backupAssignments == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(backupAssignments));
  }

  public TunnelPlan(
      Assignment assignment,
      Election election,
      List<String> localCidrs,
      List<String> gatewaySources,
      Map<String, Assignment> backupAssignments) {
    this(assignment, election, localCidrs, gatewaySources, backupAssignments, null);
  }

  public TunnelPlan(
      Assignment assignment,
      Election election,
      List<String> localCidrs,
      List<String> gatewaySources) {
    this(assignment, election, localCidrs, gatewaySources, Map.of());
  }

  public TunnelPlan(Assignment assignment, Election election, List<String> localCidrs) {
    this(assignment, election, localCidrs, List.of());
  }

  /** The IPv6 pair beside an IPv4 one; null when the Tunnel does not carry IPv6. */
  public AddressPair ipv6(AddressPair ipv4) {
    return pool6 == null || ipv4 == null ? null : pool6.embed(ipv4);
  }
}
