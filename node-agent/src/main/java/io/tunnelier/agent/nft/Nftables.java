package io.tunnelier.agent.nft;

import java.io.IOException;

/**
 * Our one nftables table. The real one pipes transactions to {@code nft -f -}; unit tests use an
 * in-memory fake with the same all-or-nothing semantics.
 */
public interface Nftables {
  LiveTable read() throws IOException;

  /** Applies one transaction atomically: all of it, or (throwing) none of it. */
  void apply(String transaction) throws IOException;
}
