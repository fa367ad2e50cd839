package io.tunnelier.agent.apply;

import io.tunnelier.agent.nft.LiveTable;
import io.tunnelier.agent.nft.NftDelta;
import io.tunnelier.agent.nft.NftScript;
import io.tunnelier.agent.nft.NftTable;
import io.tunnelier.agent.nft.Nftables;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code table inet tunnelier} equal to the desired table, in as few and as small
 * transactions as it can:
 *
 * <ul>
 *   <li>When only plain sets' elements changed since the agent's last transaction (pods joining or
 *       leaving a selection), one {@code nft -f -} adds and deletes just those elements ({@link
 *       NftScript#update}); the table it leaves is computed, not read back, so a pod costs one
 *       short transaction whatever the size of the set. The fingerprint does not cover those
 *       elements, so it stays as it is.
 *   <li>When the agent reads the table (the first pass, a pass with nothing to change, after a
 *       failure) and its structure is intact (the fingerprint matches, and so does the structure
 *       the agent last left), plain sets are brought in line element by element: a restarted agent
 *       or an element deleted behind its back costs an element update, not a rewrite.
 *   <li>Anything else (a chain, a rule, an interval set, an edited structure) replaces the whole
 *       table atomically ({@link NftScript#replace}), and reads it back. A structure other than the
 *       one the agent last left is replaced without reading the table first.
 * </ul>
 *
 * Edits behind the agent's back are found by every sync with nothing to change (the loop syncs at
 * least every resync period, and whenever it wants something new), and an element-only update reads
 * the table first when the last read is older than {@code verifyEvery}. An element update the
 * kernel refuses (a set or element gone) is followed by a read in the same pass. Not thread-safe:
 * one loop calls it.
 */
public final class NftSync {
  private static final Logger LOG = LoggerFactory.getLogger(NftSync.class);
  static final Duration VERIFY_EVERY = Duration.ofSeconds(30);

  /** What a pass did to the table. */
  public enum Change {
    NONE,
    ELEMENTS,
    TABLE
  }

  private final Nftables nft;
  private final LongSupplier nanoTime;
  private final long verifyEveryNanos;
  private NftTable applied; // what the live table holds as far as the agent knows; null: unknown
  private LiveTable expected; // what a read should show; null: unknown
  private long verifiedAt;
  private Map<String, Long> countersRead; // from this pass's last read; null: it read nothing

  public NftSync(Nftables nft) {
    this(nft, System::nanoTime, VERIFY_EVERY);
  }

  NftSync(Nftables nft, LongSupplier nanoTime, Duration verifyEvery) {
    this.nft = nft;
    this.nanoTime = nanoTime;
    this.verifyEveryNanos = verifyEvery.toNanos();
  }

  public Change sync(NftTable desired) throws IOException {
    countersRead = null;
    try {
      return pass(desired);
    } catch (IOException | RuntimeException e) {
      forget(); // after a failure the next pass rewrites the whole table
      throw e;
    }
  }

  private Change pass(NftTable desired) throws IOException {
    if (applied != null
        && expected != null
        && nanoTime.getAsLong() - verifiedAt < verifyEveryNanos) {
      NftDelta delta = NftDelta.between(applied, desired);
      if (delta != null
          && !delta.isEmpty()
          && updateElements(desired, delta, expected, "changed")) {
        return Change.ELEMENTS;
      }
    }
    if (applied != null && !desired.fingerprint().equals(applied.fingerprint())) {
      // A structure other than the one the agent left is replaced whatever the live table holds,
      // so reading it first would change nothing; with many Tunnels that read (the whole table as
      // JSON, parsed) is the largest part of such a pass. The read after the replace stays.
      return replace(desired, "changed");
    }
    LiveTable live = read();
    boolean wantTable = !desired.isEmpty();
    if (!wantTable && !live.exists()) {
      forget();
      return Change.NONE;
    }
    boolean structureIntact =
        wantTable
            && live.exists()
            && desired.fingerprint().equals(live.fingerprint())
            && (expected == null || expected.sameStructure(live, plainSets(desired)));
    if (structureIntact) {
      NftDelta delta = live.deltaTo(desired);
      if (delta.isEmpty()) {
        expected = live;
        applied = desired;
        return Change.NONE;
      }
      String reason = expected == null ? "adopted" : "edited-behind-our-back";
      if (updateElements(desired, delta, live, reason)) {
        return Change.ELEMENTS;
      }
      live = read();
    }
    return replace(
        desired,
        !live.exists()
            ? "absent"
            : desired.fingerprint().equals(live.fingerprint())
                ? "edited-behind-our-back"
                : "changed");
  }

  /** One transaction that deletes the table and writes {@code desired} whole; then reads it. */
  private Change replace(NftTable desired, String reason) throws IOException {
    boolean wantTable = !desired.isEmpty();
    LOG.atInfo()
        .setMessage("replacing nftables table")
        .addKeyValue("reason", reason)
        .addKeyValue("fingerprint", wantTable ? desired.fingerprint() : "none")
        .log();
    forget();
    nft.apply(NftScript.replace(desired));
    LiveTable after = read();
    expected = after.exists() ? after : null;
    applied = wantTable ? desired : null;
    return Change.TABLE;
  }

  /**
   * Applies the element-only transaction to a table that holds {@code from}; false when the kernel
   * refused it (nothing changed; the caller reads and starts over).
   */
  private boolean updateElements(NftTable desired, NftDelta delta, LiveTable from, String reason) {
    try {
      nft.apply(NftScript.update(delta));
    } catch (IOException e) {
      LOG.atWarn()
          .setMessage("set element update refused; reading the table")
          .addKeyValue("error", e.getMessage())
          .log();
      forget();
      return false;
    }
    LOG.atInfo()
        .setMessage("updated nftables set elements")
        .addKeyValue("reason", reason)
        .addKeyValue("added", delta.addedCount())
        .addKeyValue("removed", delta.removedCount())
        .log();
    expected = from.after(delta);
    applied = desired;
    return true;
  }

  private static Set<String> plainSets(NftTable table) {
    Set<String> names = new HashSet<>();
    table.sets().stream().filter(s -> !s.interval()).forEach(s -> names.add(s.name()));
    return names;
  }

  private LiveTable read() throws IOException {
    LiveTable live = nft.read();
    verifiedAt = nanoTime.getAsLong();
    countersRead = live.droppedPackets();
    return live;
  }

  /**
   * The drop counters: those of the last sync's last read of the table, which listed them already,
   * or, when it read nothing (an element update, a failure), a listing of its own.
   */
  Map<String, Long> droppedPackets() throws IOException {
    return countersRead != null ? countersRead : nft.droppedPackets();
  }

  void forget() {
    applied = null;
    expected = null;
  }
}
