package io.tunnelier.agent.nft;

import java.util.List;

/**
 * A base chain of our table with its rules in order (nft syntax, as {@code nft add rule} takes
 * them).
 *
 * @param type filter or nat
 * @param hook netfilter hook, e.g. forward
 * @param priority as nft writes it, e.g. {@code filter - 10}
 */
public record NftChain(String name, String type, String hook, String priority, List<String> rules) {
  public NftChain {
    rules = List.copyOf(rules);
  }
}
