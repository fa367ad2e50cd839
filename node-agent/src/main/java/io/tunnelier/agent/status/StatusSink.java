package io.tunnelier.agent.status;

import io.tunnelier.api.v1alpha1.NodeStatus;

/**
 * Where this node's per-tunnel entries go: the Tunnel's {@code status.nodes[]} in a cluster, a JSON
 * file or the log in standalone mode. Implementations rate-limit and skip unchanged entries.
 */
public interface StatusSink {
  void report(String tunnelKey, NodeStatus entry);
}
