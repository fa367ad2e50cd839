package io.tunnelier.agent.datapath.wireguard;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Handshake messages per source while under load, as wireguard-go's {@code ratelimiter}: a token
 * bucket of {@link #PER_SECOND} per second, bursts of {@link #BURST}, per IPv4 address or IPv6 /64
 * (one host's share, whatever its ports or its interface identifiers). It bounds both the
 * Diffie-Hellman a source with a valid cookie can cause and the cookie replies a source without one
 * gets, so neither a flood nor a reflection through the VPS scales with the sender's rate. The
 * table is bounded: idle sources are swept every second, and while {@link #MAX_SOURCES} are tracked
 * a new one is refused. Not thread-safe: the peer's handshake lock guards it.
 */
final class HandshakeRateLimiter {
  static final int PER_SECOND = 20;
  static final int BURST = 5;
  static final int MAX_SOURCES = 16_384;

  private static final long SECOND = 1_000_000_000L;
  private static final long COST = SECOND / PER_SECOND;
  private static final long CAPACITY = COST * BURST;

  /** Source key to the time its bucket was last full-equivalent (nanoseconds of tokens spent). */
  private final Map<Long, long[]> buckets = new HashMap<>();

  private long lastSweep;
  private boolean swept;

  /**
   * Whether a handshake message from {@code source} (a {@link
   * io.tunnelier.agent.datapath.wireguard.noise.SourceAddress} encoding: address, then port) may be
   * handled at {@code now}; takes a token if so.
   */
  boolean allow(byte[] source, int sourceLength, long now) {
    if (!swept || now - lastSweep >= SECOND) {
      sweep(now);
    }
    long key = key(source, sourceLength);
    long[] bucket = buckets.get(key);
    if (bucket == null) {
      if (buckets.size() >= MAX_SOURCES) {
        return false;
      }
      // bucket[0]: tokens (in nanoseconds of refill), bucket[1]: when last refilled.
      bucket = new long[] {CAPACITY, now};
      buckets.put(key, bucket);
    }
    long tokens = Math.min(CAPACITY, bucket[0] + (now - bucket[1]));
    bucket[1] = now;
    if (tokens < COST) {
      bucket[0] = tokens;
      return false;
    }
    bucket[0] = tokens - COST;
    return true;
  }

  int trackedSources() {
    return buckets.size();
  }

  /** Forgets sources whose bucket has refilled: they would start full again anyway. */
  private void sweep(long now) {
    swept = true;
    lastSweep = now;
    for (Iterator<long[]> it = buckets.values().iterator(); it.hasNext(); ) {
      long[] b = it.next();
      if (b[0] + (now - b[1]) >= CAPACITY) {
        it.remove();
      }
    }
  }

  /**
   * IPv4: the address above bit 32 (no global IPv6 /64 starts with 31 zero bits, so the families
   * never share a bucket); IPv6: its /64.
   */
  static long key(byte[] source, int sourceLength) {
    int addressLength = sourceLength - 2;
    long key = 0;
    for (int i = 0; i < Math.min(addressLength, 8); i++) {
      key = (key << 8) | (source[i] & 0xff);
    }
    return addressLength == 4 ? (1L << 32) | key : key;
  }
}
