package io.tunnelier.agent.cluster;

/**
 * This node's heartbeat Lease ({@link io.tunnelier.api.v1alpha1.AgentHeartbeat}): the effect {@link
 * Heartbeat} drives. The real one is {@link KubeHeartbeatLease}; tests use a fake.
 */
public interface HeartbeatLease {
  /**
   * Creates the Lease, or moves its renewTime to now, labelled with whether this node has a gateway
   * duty. Throws when the API server refuses.
   */
  void renew(boolean gatewayDuty) throws Exception;
}
