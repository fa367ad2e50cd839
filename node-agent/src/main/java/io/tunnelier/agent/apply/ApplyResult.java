package io.tunnelier.agent.apply;

import io.tunnelier.agent.kernel.KernelState;
import java.util.List;
import java.util.Map;

/**
 * What one reconcile did and found.
 *
 * @param ipCommands commands sent to iproute2 (0: the kernel already matched)
 * @param nftApplied whether a transaction changed our nftables table
 * @param nftElementsOnly whether that transaction only added or deleted set elements
 * @param ipError why reading or changing the kernel failed for every tunnel, or null
 * @param ipErrors tunnel key to why its {@code ip -batch} failed ({@link IpBatches#NO_OWNER}: the
 *     removal of a deleted tunnel's leftovers)
 * @param nftError why the nftables transaction failed, or null
 * @param datapathErrors tunnel key to why its datapath could not be opened
 * @param live our kernel objects after the apply
 * @param conntrackFlushed conntrack entries deleted because their pod's path changed
 * @param conntrackError why deleting them failed (retried on the next pass), or null
 * @param holdError why the CNI plugin's holds could not be brought in line (retried on the next
 *     pass), or null
 * @param cniChainProblem why the CNI plugin is not in the node's CNI chain, so new pods are not
 *     held while the agent is down (the pass is still ok), or null
 */
public record ApplyResult(
    List<String> ipCommands,
    boolean nftApplied,
    boolean nftElementsOnly,
    String ipError,
    Map<String, String> ipErrors,
    String nftError,
    Map<String, String> datapathErrors,
    KernelState live,
    int conntrackFlushed,
    String conntrackError,
    String holdError,
    String cniChainProblem) {
  public ApplyResult {
    ipErrors = Map.copyOf(ipErrors);
  }

  /** A pass that changed nothing, found {@code live}, and failed only with {@code ipError}. */
  public static ApplyResult unchanged(KernelState live, String ipError) {
    return new ApplyResult(
        List.of(), false, false, ipError, Map.of(), null, Map.of(), live, 0, null, null, null);
  }

  public boolean ok() {
    return ipError == null
        && ipErrors.isEmpty()
        && nftError == null
        && datapathErrors.isEmpty()
        && conntrackError == null
        && holdError == null;
  }

  /** Why the kernel could not be brought in line for this tunnel, or null. */
  public String ipErrorFor(String tunnelKey) {
    return ipError != null ? ipError : ipErrors.get(tunnelKey);
  }

  public boolean changed() {
    return !ipCommands.isEmpty() || nftApplied;
  }
}
