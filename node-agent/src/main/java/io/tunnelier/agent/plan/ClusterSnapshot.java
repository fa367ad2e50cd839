package io.tunnelier.agent.plan;

import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster as the informers see it at one moment: Tunnels, Nodes, the pods of namespaces with
 * Tunnels, and (only for Tunnels this node is the WireGuard gateway of) their keys.
 *
 * @param cachedKeys the Tunnels whose keys are the agent's last good ones: the API server did not
 *     answer their Secret's GET
 */
public record ClusterSnapshot(
    List<Tunnel> tunnels,
    List<NodeInfo> nodes,
    List<PodInfo> pods,
    Map<String, TunnelKeys> keys,
    Set<String> cachedKeys) {
  public ClusterSnapshot {
    tunnels = List.copyOf(tunnels);
    nodes = List.copyOf(nodes);
    pods = List.copyOf(pods);
    keys = Map.copyOf(keys);
    cachedKeys = cachedKeys == null ? Set.of() : Set.copyOf(cachedKeys);
  }

  public ClusterSnapshot(
      List<Tunnel> tunnels,
      List<NodeInfo> nodes,
      List<PodInfo> pods,
      Map<String, TunnelKeys> keys) {
    this(tunnels, nodes, pods, keys, Set.of());
  }
}
