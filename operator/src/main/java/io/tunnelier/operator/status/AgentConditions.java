package io.tunnelier.operator.status;

/**
 * The condition types an agent reports in its {@code status.nodes[]} entry (the contract with the
 * node agent; see docs/status.md).
 */
public final class AgentConditions {
  /** The tunnel device (kernel or TUN) exists and is up. */
  public static final String LINK_UP = "LinkUp";

  /** Routes and policy rules toward the gateway / into the tunnel are in place. */
  public static final String ROUTES_PROGRAMMED = "RoutesProgrammed";

  /** nftables rules (SNAT, MSS clamp, kill switch) are in place. */
  public static final String NAT_PROGRAMMED = "NATProgrammed";

  /** The peer answers through the tunnel (the active gateway only). */
  public static final String PEER_REACHABLE = "PeerReachable";

  /** The node removed everything of a Tunnel being deleted. */
  public static final String STATE_REMOVED = "StateRemoved";

  /** The reason an agent gives LinkUp=False when datapath Kernel lacks the kernel module. */
  public static final String KERNEL_MODULE_MISSING = "KernelModuleMissing";

  /**
   * The reason of a False condition that asks for nothing: the node has nothing to program for the
   * Tunnel (an egress node without selected pods that is not the gateway). Not a problem.
   */
  public static final String NOT_NEEDED = "NotNeeded";

  private AgentConditions() {}
}
