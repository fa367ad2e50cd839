package io.tunnelier.cli;

/**
 * The condition types and reasons the node agents write into {@code status.nodes[]}, as far as the
 * plugin reads them. The same contract as the operator's {@code
 * io.tunnelier.operator.status.AgentConditions} and the agent's {@code
 * io.tunnelier.agent.status.Conditions} (docs/troubleshooting.md lists every reason); the plugin
 * depends on neither module, only on the API in {@code crds}.
 */
final class AgentConditions {
  static final String LINK_UP = "LinkUp";
  static final String ROUTES_PROGRAMMED = "RoutesProgrammed";
  static final String NAT_PROGRAMMED = "NATProgrammed";
  static final String PEER_REACHABLE = "PeerReachable";

  /** LinkUp=False: datapath Kernel and no gre/wireguard module on the node. */
  static final String KERNEL_MODULE_MISSING = "KernelModuleMissing";

  /** LinkUp=False: the userspace datapath could not start (usually /dev/net/tun). */
  static final String DATAPATH_FAILED = "DatapathFailed";

  /** A False condition that asks for nothing: the node has nothing to program. */
  static final String NOT_NEEDED = "NotNeeded";

  /**
   * An entry not rewritten for this long is a silent agent (live agents write at least once a
   * minute); the operator uses the same limit (docs/status.md, AgentSilent).
   */
  static final java.time.Duration SILENT_AFTER = java.time.Duration.ofMinutes(3);

  private AgentConditions() {}
}
