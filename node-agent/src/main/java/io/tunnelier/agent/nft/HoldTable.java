package io.tunnelier.agent.nft;

import io.tunnelier.agent.plan.HeldPod;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CNI plugin's hold table ({@code table inet tunnelier_cni}, {@link HoldScript}): the plugin
 * adds holds, the agent keeps the structure and takes holds out. The real one runs {@code nft};
 * unit tests use an in-memory fake that parses the same transactions.
 */
public interface HoldTable {
  /** The table as it is now; empty when there is none. */
  Optional<Live> read() throws IOException;

  /** Applies one transaction atomically: all of it, or (throwing) none of it. */
  void apply(String transaction) throws IOException;

  /**
   * @param held every hold, both families
   * @param ruleComments the comments of the forward chain's rules, in order
   * @param droppedPackets what each counted drop rule dropped since it was written, by comment
   * @param open the {@code open4} set's elements, as {@code Cidr#hostOrCidr} writes them
   */
  record Live(
      List<HeldPod> held,
      List<String> ruleComments,
      Map<String, Long> droppedPackets,
      Set<String> open) {
    public Live {
      held = List.copyOf(held);
      ruleComments = List.copyOf(ruleComments);
      droppedPackets = Map.copyOf(droppedPackets);
      open = Set.copyOf(open);
    }
  }
}
