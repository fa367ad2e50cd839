package io.tunnelier.operator.reconciler;

import io.tunnelier.operator.address.Assignment;
import io.tunnelier.operator.gateway.Election;
import java.util.List;

/**
 * What a reconcile decided before its dependents are reconciled: the Tunnel's addresses, its
 * gateway, and this cluster's CIDRs. The reconciler puts it in the context; the dependents read it.
 *
 * @param assignment the Tunnel's addresses, or why it has none
 * @param election its gateway
 * @param localCidrs this cluster's pod CIDRs (from the Nodes), for SiteToSite without localCIDRs
 * @param gatewaySources the gateway candidates' ExternalIPs (/32), the far end's allowedSources
 */
public record TunnelPlan(
    Assignment assignment,
    Election election,
    List<String> localCidrs,
    List<String> gatewaySources) {
  public TunnelPlan {
    localCidrs = List.copyOf(localCidrs);
    gatewaySources = gatewaySources == null ? List.of() : List.copyOf(gatewaySources);
  }

  public TunnelPlan(Assignment assignment, Election election, List<String> localCidrs) {
    this(assignment, election, localCidrs, List.of());
  }
}
