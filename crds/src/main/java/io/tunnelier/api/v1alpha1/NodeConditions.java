package io.tunnelier.api.v1alpha1;

/**
 * The condition types and reasons a node agent reports in its {@code status.nodes[]} entry: the
 * contract between the agent that writes them, the operator that aggregates them and the kubectl
 * plugin that explains them (docs/status.md and docs/troubleshooting.md list every reason).
 */
public final class NodeConditions {
  /** The tunnel device (kernel or TUN) exists and is up. */
  public static final String LINK_UP = "LinkUp";

  /** Routes and policy rules toward the gateway / into the tunnel are in place. */
  public static final String ROUTES_PROGRAMMED = "RoutesProgrammed";

  /** nftables rules (SNAT, MSS clamp, kill switch) are in place. */
  public static final String NAT_PROGRAMMED = "NATProgrammed";

  /** The peer answers through the tunnel (the active gateway only). */
  public static final String PEER_REACHABLE = "PeerReachable";

  /**
   * The reason of PeerReachable=Unknown: a new tunnel's peer has not answered its first probes yet
   * (its far end may be getting its config this second); after three unanswered it is False.
   */
  public static final String PROBING = "Probing";

  /** The node removed everything of a Tunnel being deleted; the operator waits for it. */
  public static final String STATE_REMOVED = "StateRemoved";

  /** The reason of LinkUp=False when datapath Kernel was asked for and the module is missing. */
  public static final String KERNEL_MODULE_MISSING = "KernelModuleMissing";

  /** The reason of LinkUp=False when the datapath could not be opened (e.g. /dev/net/tun). */
  public static final String DATAPATH_FAILED = "DatapathFailed";

  /**
   * The reason of a False condition that asks for nothing: the node has nothing to program for the
   * Tunnel (an egress node without selected pods that is not the gateway). Not a problem.
   */
  public static final String NOT_NEEDED = "NotNeeded";

  /**
   * An agent not heard from for this long ({@link AgentLiveness}: neither its entry rewritten nor
   * its heartbeat Lease renewed) is silent: live agents renew their Lease every 30 s, or, without
   * one, rewrite their entries at least once a minute. The operator's AgentSilent and the CLI use
   * the same limit.
   */
  public static final java.time.Duration SILENT_AFTER = java.time.Duration.ofMinutes(3);

  private NodeConditions() {}
}
