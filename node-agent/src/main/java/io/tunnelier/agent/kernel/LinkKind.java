package io.tunnelier.agent.kernel;

/** The links the agent knows how to treat. */
public enum LinkKind {
  /**
   * A tunnel device: created and removed by a {@link io.tunnelier.agent.datapath.Datapath}, never
   * by {@code ip link add}; the agent only brings it up and gives it its address and routes.
   */
  TUNNEL,
  /** The intra-cluster VXLAN hop from member nodes to the active gateway; the agent creates it. */
  VXLAN
}
