package io.tunnelier.operator.status;

import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.address.Assignment;
import io.tunnelier.operator.gateway.Election;
import io.tunnelier.operator.gateway.NodeReadiness;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the status of a Tunnel is computed from.
 *
 * @param tunnel the Tunnel as last read (its status holds the agents' {@code nodes[]} entries and
 *     the previous conditions)
 * @param assignment its addresses, or why it has none
 * @param candidates nodes matching {@code spec.gateway.nodeSelector}, Ready or not
 * @param election the gateway election's outcome
 * @param publicKey this end's public key; null while the keys Secret does not exist
 * @param now the clock
 * @param selectedPods Running pods {@code egress.podSelector} selects; null for SiteToSite
 * @param backupAssignments each backup peer's addresses, or why it has none, by name in priority
 *     order; empty without backups
 * @param leaseRenewals each node's heartbeat Lease renewal ({@link
 *     io.tunnelier.api.v1alpha1.AgentLiveness}); empty without heartbeats
 */
public record StatusInputs(
    Tunnel tunnel,
    Assignment assignment,
    List<NodeReadiness> candidates,
    Election election,
    String publicKey,
    Instant now,
    Integer selectedPods,
    Map<String, Assignment> backupAssignments,
    Map<String, Instant> leaseRenewals) {

  public StatusInputs {
    backupAssignments =
        backupAssignments == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(backupAssignments));
    leaseRenewals = leaseRenewals == null ? Map.of() : Map.copyOf(leaseRenewals);
  }

  /** The same inputs with the public key as the keys Secret holds it now. */
  public StatusInputs withPublicKey(String key) {
    return new StatusInputs(
        tunnel,
        assignment,
        candidates,
        election,
        key,
        now,
        selectedPods,
        backupAssignments,
        leaseRenewals);
  }

  /** Without heartbeat Leases. */
  public StatusInputs(
      Tunnel tunnel,
      Assignment assignment,
      List<NodeReadiness> candidates,
      Election election,
      String publicKey,
      Instant now,
      Integer selectedPods,
      Map<String, Assignment> backupAssignments) {
    this(
        tunnel,
        assignment,
        candidates,
        election,
        publicKey,
        now,
        selectedPods,
        backupAssignments,
        Map.of());
  }

  /** Without backup peers. */
  public StatusInputs(
      Tunnel tunnel,
      Assignment assignment,
      List<NodeReadiness> candidates,
      Election election,
      String publicKey,
      Instant now,
      Integer selectedPods) {
    this(tunnel, assignment, candidates, election, publicKey, now, selectedPods, Map.of());
  }

  /** Without a pod count. */
  public StatusInputs(
      Tunnel tunnel,
      Assignment assignment,
      List<NodeReadiness> candidates,
      Election election,
      String publicKey,
      Instant now) {
    this(tunnel, assignment, candidates, election, publicKey, now, null);
  }
}
