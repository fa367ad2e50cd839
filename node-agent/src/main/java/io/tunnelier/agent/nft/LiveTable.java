package io.tunnelier.agent.nft;

/**
 * What {@code table inet tunnelier} holds now.
 *
 * @param fingerprint the fingerprint the agent stamped on it, or null
 * @param content a normalised dump (no handles, counters zeroed) to notice edits made behind the
 *     agent's back; comparable only with dumps from the same {@link Nftables}
 */
public record LiveTable(boolean exists, String fingerprint, String content) {
  public static final LiveTable ABSENT = new LiveTable(false, null, "");
}
