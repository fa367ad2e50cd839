package io.tunnelier.agent.status;

/** Condition types and reasons of a node's entry in {@code status.nodes[]}. */
public final class Conditions {
  public static final String LINK_UP = "LinkUp";
  public static final String ROUTES_PROGRAMMED = "RoutesProgrammed";
  public static final String NAT_PROGRAMMED = "NATProgrammed";
  public static final String PEER_REACHABLE = "PeerReachable";

  /** The node removed everything of a Tunnel being deleted; the operator waits for it. */
  public static final String STATE_REMOVED = "StateRemoved";

  /** LinkUp=False because datapath Kernel was asked for and the module is missing. */
  public static final String KERNEL_MODULE_MISSING = "KernelModuleMissing";

  private Conditions() {}
}
