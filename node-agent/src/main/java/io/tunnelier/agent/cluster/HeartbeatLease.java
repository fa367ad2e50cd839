package io.tunnelier.agent.cluster;

/**
 * This node's heartbeat Lease ({@link io.tunnelier.api.v1alpha1.AgentHeartbeat}): the effect {@link
 * Heartbeat} drives. The real one is {@link KubeHeartbeatLease}; tests use a fake.
 */
public interface HeartbeatLease {
  /** Creates the Lease, or moves its renewTime to now. Throws when the API server refuses. */
  void renew() throws Exception;

  /** Deletes the Lease (gone already is fine). Throws when the API server refuses. */
  void release() throws Exception;
}
