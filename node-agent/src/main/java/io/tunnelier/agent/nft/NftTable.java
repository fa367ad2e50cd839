package io.tunnelier.agent.nft;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The whole {@code table inet tunnelier} the agent wants: sets and base chains. An empty table (no
 * sets, no chains) means "no table at all".
 */
public record NftTable(List<NftSet> sets, List<NftChain> chains) {
  public static final NftTable NONE = new NftTable(List.of(), List.of());

  public NftTable {
    sets = List.copyOf(sets);
    chains = List.copyOf(chains);
  }

  public boolean isEmpty() {
    return sets.isEmpty() && chains.stream().allMatch(c -> c.rules().isEmpty());
  }

  /**
   * SHA-256 of the rendered table without the elements of plain (non-interval) sets: what the agent
   * stamps on it to recognise its structure after a restart. Plain sets' elements (the selected
   * pods) are left out so that a pod joining or leaving changes only the set, never the stamp; the
   * agent compares those elements with the live ones instead ({@link NftDelta}).
   */
  public String fingerprint() {
    List<NftSet> structural =
        sets.stream()
            .map(
                s ->
                    s.interval()
                        ? s
                        : new NftSet(s.name(), s.type(), false, List.of(), s.comment()))
            .toList();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  NftScript.body(new NftTable(structural, chains))
                      .getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
