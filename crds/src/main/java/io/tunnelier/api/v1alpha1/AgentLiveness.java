package io.tunnelier.api.v1alpha1;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When an agent was last heard from: the later of its {@code status.nodes[]} entry's {@code
 * lastUpdateTime} and its node's heartbeat Lease's {@code renewTime} ({@link AgentHeartbeat}). An
 * agent with a Lease rewrites an unchanged entry no more (see {@link AgentHeartbeat}), so its
 * entry's time says when it last changed, the Lease that it is alive. Both are the agent's clock,
 * so nodes need synchronized clocks (NTP), which Kubernetes assumes too. One rule for the operator
 * and the CLI.
 */
public final class AgentLiveness {
  private AgentLiveness() {}

  /** The later of the two; empty when neither is known or readable. */
  public static Optional<Instant> lastHeard(NodeStatus entry, Instant leaseRenewed) {
    Instant reported = entry == null ? null : parse(entry.getLastUpdateTime());
    if (reported == null) {
      return Optional.ofNullable(leaseRenewed);
    }
    return Optional.of(
        leaseRenewed != null && leaseRenewed.isAfter(reported) ? leaseRenewed : reported);
  }

  /**
   * The last time heard from, when that is longer than {@link NodeConditions#SILENT_AFTER} ago;
   * empty for a live agent, and for one never heard from (unknown is never judged silent).
   */
  public static Optional<Instant> silentSince(NodeStatus entry, Instant leaseRenewed, Instant now) {
    return lastHeard(entry, leaseRenewed)
        .filter(last -> now.isAfter(last.plus(NodeConditions.SILENT_AFTER)));
  }

  /** Each node's Lease renewal, by holder (the node's name); Leases without either are left out. */
  public static Map<String, Instant> renewals(Collection<Lease> leases) {
    Map<String, Instant> out = new HashMap<>();
    for (Lease lease : leases) {
      if (lease.getSpec() == null
          || lease.getSpec().getHolderIdentity() == null
          || lease.getSpec().getRenewTime() == null) {
        continue;
      }
      out.merge(
          lease.getSpec().getHolderIdentity(),
          lease.getSpec().getRenewTime().toInstant(),
          (a, b) -> a.isAfter(b) ? a : b);
    }
    return out;
  }

  private static Instant parse(String time) {
    if (time == null) {
      return null;
    }
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null; // unknown: never judged silent on a value we cannot read
    }
  }
}
