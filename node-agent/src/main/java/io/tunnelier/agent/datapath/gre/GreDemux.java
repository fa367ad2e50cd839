package io.tunnelier.agent.datapath.gre;

import java.util.Arrays;

/**
 * Which tunnel a received GRE packet belongs to, by its key: on a VPS many tunnels (clusters) share
 * one raw socket or UDP port, and the RFC 2890 key tells them apart. At most one tunnel per key,
 * plus at most one without a key. Lookups run on the receive thread without locks or allocation (an
 * open-addressing table replaced as a whole on change); changes are rare and synchronized.
 */
public final class GreDemux {
  private record Table(long[] keys, GreTunnel[] tunnels, int mask, int size) {}

  private static final long EMPTY = Long.MIN_VALUE;

  private volatile Table table = newTable(4);

  /** Adds a tunnel; fails, naming the key, when another tunnel has the same key. */
  public synchronized void add(GreTunnel tunnel) {
    if (lookup(tunnel.key()) != null) {
      throw new IllegalArgumentException(
          "key: another tunnel on this socket already uses "
              + (tunnel.key() == GreTunnel.NO_KEY ? "no key" : "key " + tunnel.key()));
    }
    Table t = table;
    Table grown = newTable(Math.max(4, Integer.highestOneBit((t.size + 1) * 2) * 2));
    for (int k = 0; k < t.keys.length; k++) {
      if (t.keys[k] != EMPTY) {
        put(grown, t.keys[k], t.tunnels[k]);
      }
    }
    put(grown, tunnel.key(), tunnel);
    table = new Table(grown.keys, grown.tunnels, grown.mask, t.size + 1);
  }

  /** Removes a tunnel (if it is the one registered under its key). */
  public synchronized void remove(GreTunnel tunnel) {
    Table t = table;
    Table rebuilt = newTable(t.keys.length);
    int size = 0;
    for (int k = 0; k < t.keys.length; k++) {
      if (t.keys[k] != EMPTY && t.tunnels[k] != tunnel) {
        put(rebuilt, t.keys[k], t.tunnels[k]);
        size++;
      }
    }
    table = new Table(rebuilt.keys, rebuilt.tunnels, rebuilt.mask, size);
  }

  public int size() {
    return table.size;
  }

  /** The tunnel for a key ({@link GreTunnel#NO_KEY} for packets without one), or null. */
  public GreTunnel lookup(long key) {
    Table t = table;
    int k = mix(key) & t.mask;
    while (true) {
      long found = t.keys[k];
      if (found == key) {
        return t.tunnels[k];
      }
      if (found == EMPTY) {
        return null;
      }
      k = (k + 1) & t.mask;
    }
  }

  private static Table newTable(int slots) {
    long[] keys = new long[slots];
    Arrays.fill(keys, EMPTY);
    return new Table(keys, new GreTunnel[slots], slots - 1, 0);
  }

  private static void put(Table t, long key, GreTunnel tunnel) {
    int k = mix(key) & t.mask;
    while (t.keys[k] != EMPTY) {
      k = (k + 1) & t.mask;
    }
    t.keys[k] = key;
    t.tunnels[k] = tunnel;
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
