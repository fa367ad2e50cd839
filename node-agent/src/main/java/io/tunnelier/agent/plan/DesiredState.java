package io.tunnelier.agent.plan;

import io.tunnelier.agent.kernel.KernelState;
import io.tunnelier.agent.nft.NftTable;
import java.util.List;

/** Everything the agent wants on this host: kernel objects, the nftables table, and the plans. */
public record DesiredState(KernelState kernel, NftTable nft, List<TunnelPlan> plans) {
  public static final DesiredState NOTHING =
      new DesiredState(KernelState.EMPTY, NftTable.NONE, List.of());
}
