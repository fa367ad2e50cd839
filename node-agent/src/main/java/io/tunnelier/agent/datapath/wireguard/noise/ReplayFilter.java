package io.tunnelier.agent.datapath.wireguard.noise;

/**
 * The sliding window of received counters (RFC 6479), laid out as wireguard-go's {@code replay}
 * package: a ring of 128 64-bit blocks, window 127 * 64 = 8128 counters. Counters are unsigned
 * 64-bit values held in a {@code long}. Not thread-safe: the owning keypair serialises access.
 */
public final class ReplayFilter {
  private static final int BLOCK_BIT_LOG = 6;
  private static final int BLOCK_BITS = 1 << BLOCK_BIT_LOG;
  private static final int RING_BLOCKS = 1 << 7;

  /** How far behind the highest counter seen a counter may still be accepted. */
  public static final long WINDOW_SIZE = (long) (RING_BLOCKS - 1) * BLOCK_BITS;

  private static final int BLOCK_MASK = RING_BLOCKS - 1;
  private static final int BIT_MASK = BLOCK_BITS - 1;

  private long last;
  private final long[] ring = new long[RING_BLOCKS];

  public void reset() {
    last = 0;
    ring[0] = 0;
  }

  /**
   * Marks {@code counter} as seen and returns true when it is new, inside the window, and below
   * {@code limit} (both unsigned).
   */
  public boolean validateCounter(long counter, long limit) {
    if (Long.compareUnsigned(counter, limit) >= 0) {
      return false;
    }
    long indexBlock = counter >>> BLOCK_BIT_LOG;
    if (Long.compareUnsigned(counter, last) > 0) {
      // Move the window forward, clearing the blocks it skips (at most the whole ring).
      long current = last >>> BLOCK_BIT_LOG;
      long diff = indexBlock - current;
      if (Long.compareUnsigned(diff, RING_BLOCKS) > 0) {
        diff = RING_BLOCKS;
      }
      for (long i = current + 1; i <= current + diff; i++) {
        ring[(int) (i & BLOCK_MASK)] = 0;
      }
      last = counter;
    } else if (Long.compareUnsigned(last - counter, WINDOW_SIZE) > 0) {
      return false;
    }
    int block = (int) (indexBlock & BLOCK_MASK);
    long bit = 1L << (counter & BIT_MASK);
    long old = ring[block];
    ring[block] = old | bit;
    return (old & bit) == 0;
  }
}
