package io.tunnelier.operator.gateway;

/**
 * A node that matches the Tunnel's gateway selector: whether its Ready condition is True, and
 * whether its agent's heartbeat stopped ({@link AgentHeartbeats}).
 *
 * @param heartbeatLost why the node's agent counts as gone although the Node is Ready (its
 *     heartbeat Lease stopped), or null
 */
public record NodeReadiness(String name, boolean ready, String heartbeatLost) {
  public NodeReadiness(String name, boolean ready) {
    this(name, ready, null);
  }

  /** Ready, and its agent alive as far as the heartbeat tells: may be (or stay) the gateway. */
  public boolean usable() {
    return ready && heartbeatLost == null;
  }

  /** The same node with its agent's heartbeat judged lost, or not (null). */
  public NodeReadiness withHeartbeatLost(String why) {
    return new NodeReadiness(name, ready, why);
  }
}
