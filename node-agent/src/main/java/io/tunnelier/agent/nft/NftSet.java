package io.tunnelier.agent.nft;

import java.util.List;

/**
 * A named set in our table, e.g. the selected pods of one tunnel.
 *
 * @param type nft data type, e.g. {@code ipv4_addr}
 * @param interval whether elements are prefixes ({@code flags interval})
 * @param comment shown by {@code nft list}; null for none
 */
public record NftSet(
    String name, String type, boolean interval, List<String> elements, String comment) {
  public NftSet {
    elements = List.copyOf(elements);
  }
}
