package io.tunnelier.agent.nft;

import java.io.IOException;
import java.util.Map;

/**
 * Our one nftables table. The real one pipes transactions to {@code nft -f -}; unit tests use an
 * in-memory fake with the same all-or-nothing semantics.
 */
public interface Nftables {
  LiveTable read() throws IOException;

  /** Applies one transaction atomically: all of it, or (throwing) none of it. */
  void apply(String transaction) throws IOException;

  /**
   * The packet counters of the table's counted drop rules, by rule comment (rules with the same
   * comment summed); empty without the table. Reads no set elements, so it stays cheap with many
   * pods.
   */
  Map<String, Long> droppedPackets() throws IOException;
}
