package io.tunnelier.agent.plan;

import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import java.util.Map;

/**
 * The cluster as the informers see it at one moment: Tunnels, Nodes, the pods of namespaces with
 * Tunnels, and (only for Tunnels this node is the WireGuard gateway of) their keys.
 */
public record ClusterSnapshot(
    List<Tunnel> tunnels, List<NodeInfo> nodes, List<PodInfo> pods, Map<String, TunnelKeys> keys) {
  public ClusterSnapshot {
    tunnels = List.copyOf(tunnels);
    nodes = List.copyOf(nodes);
    pods = List.copyOf(pods);
    keys = Map.copyOf(keys);
  }
}
