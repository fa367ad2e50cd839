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
 * @param ipError why the iproute2 batch failed, or null
 * @param nftError why the nftables transaction failed, or null
 * @param datapathErrors tunnel key to why its datapath could not be opened
 * @param live our kernel objects after the apply
 */
public record ApplyResult(
    List<String> ipCommands,
    boolean nftApplied,
    boolean nftElementsOnly,
    String ipError,
    String nftError,
    Map<String, String> datapathErrors,
    KernelState live) {
  public boolean ok() {
    return ipError == null && nftError == null && datapathErrors.isEmpty();
  }

  public boolean changed() {
    return !ipCommands.isEmpty() || nftApplied;
  }
}
