package io.tunnelier.cli;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything diagnose looks at for one Tunnel, read once from the API server ({@link
 * SnapshotReader}): what the operator and the agents report, and the objects around it. The checks
 * ({@link Diagnosis}) are pure functions of it, so a test builds one from plain objects.
 *
 * @param tunnel the Tunnel, with the status the operator and the agents wrote
 * @param nodes the cluster's Nodes; null when they could not be listed ({@code nodesError})
 * @param agentPods the node agent DaemonSet's pods (label {@code
 *     app.kubernetes.io/name=tunnelier-node-agent}); null when they could not be listed
 * @param events Events about the Tunnel
 * @param peerConfigKeys the data keys of the {@code <name>-peer-config} Secret; null when it is
 *     missing or could not be read ({@code peerConfigError})
 * @param now when the snapshot was taken: ages are measured from here
 * @param leaseRenewals each node's heartbeat Lease renewal ({@link
 *     io.tunnelier.api.v1alpha1.AgentLiveness}); null when the Leases could not be read
 */
public record Snapshot(
    Tunnel tunnel,
    List<Node> nodes,
    String nodesError,
    List<Pod> agentPods,
    String agentPodsError,
    List<Event> events,
    Set<String> peerConfigKeys,
    String peerConfigError,
    Instant now,
    Map<String, Instant> leaseRenewals) {

  /** A snapshot with nothing around the Tunnel: the Nodes and pods unknown, no Events. */
  public static Snapshot of(Tunnel tunnel, Instant now) {
    return new Snapshot(
        tunnel, null, "not read", null, "not read", List.of(), null, null, now, null);
  }

  public Snapshot withNodes(List<Node> nodes) {
    return new Snapshot(
        tunnel,
        nodes,
        null,
        agentPods,
        agentPodsError,
        events,
        peerConfigKeys,
        peerConfigError,
        now,
        leaseRenewals);
  }

  public Snapshot withAgentPods(List<Pod> pods) {
    return new Snapshot(
        tunnel,
        nodes,
        nodesError,
        pods,
        null,
        events,
        peerConfigKeys,
        peerConfigError,
        now,
        leaseRenewals);
  }

  public Snapshot withEvents(List<Event> events) {
    return new Snapshot(
        tunnel,
        nodes,
        nodesError,
        agentPods,
        agentPodsError,
        events,
        peerConfigKeys,
        peerConfigError,
        now,
        leaseRenewals);
  }

  public Snapshot withPeerConfigKeys(Set<String> keys) {
    return new Snapshot(
        tunnel,
        nodes,
        nodesError,
        agentPods,
        agentPodsError,
        events,
        keys,
        null,
        now,
        leaseRenewals);
  }

  public Snapshot withErrors(String nodesError, String agentPodsError, String peerConfigError) {
    return new Snapshot(
        tunnel,
        nodes,
        nodesError,
        agentPods,
        agentPodsError,
        events,
        peerConfigKeys,
        peerConfigError,
        now,
        leaseRenewals);
  }

  /** With each node's heartbeat Lease renewal, by node. */
  public Snapshot withLeaseRenewals(Map<String, Instant> renewals) {
    return new Snapshot(
        tunnel,
        nodes,
        nodesError,
        agentPods,
        agentPodsError,
        events,
        peerConfigKeys,
        peerConfigError,
        now,
        renewals);
  }
}
