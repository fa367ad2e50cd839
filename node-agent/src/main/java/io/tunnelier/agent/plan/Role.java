package io.tunnelier.agent.plan;

import io.tunnelier.api.v1alpha1.NodeRole;

/** What this host does for one tunnel. */
public enum Role {
  /** In-cluster: terminates the tunnel. */
  GATEWAY,
  /** In-cluster: a gateway candidate; programs like a member until it becomes active. */
  STANDBY,
  /** In-cluster: sends its selected pods' traffic over the VXLAN hop to the active gateway. */
  MEMBER,
  /** Standalone: the far end (a VPS or a remote site without Kubernetes). */
  PEER;

  public NodeRole nodeRole() {
    return switch (this) {
      case GATEWAY, PEER -> NodeRole.GATEWAY;
      case STANDBY -> NodeRole.STANDBY;
      case MEMBER -> NodeRole.MEMBER;
    };
  }
}
