package io.tunnelier.agent.status;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The last {@value #SIZE} probe outcomes per tunnel, for {@code lossPercent}: a sliding window, so
 * one lost echo shows as 5% and is forgotten after twenty passes. Not thread-safe: the agent loop
 * owns it.
 */
public final class ProbeWindow {
  static final int SIZE = 20;

  /** Probes a new tunnel's peer gets before no answer means unreachable. */
  static final int FIRST_PROBES = 3;

  private static final class Ring {
    final boolean[] answered = new boolean[SIZE];
    int next;
    int filled;
  }

  private final Map<String, Ring> rings = new HashMap<>();

  /** Records one probe of {@code tunnel} and returns the loss over the window so far. */
  public OptionalDouble record(String tunnel, boolean answered) {
    Ring ring = rings.computeIfAbsent(tunnel, k -> new Ring());
    ring.answered[ring.next] = answered;
    ring.next = (ring.next + 1) % SIZE;
    ring.filled = Math.min(SIZE, ring.filled + 1);
    int lost = 0;
    for (int i = 0; i < ring.filled; i++) {
      if (!ring.answered[i]) {
        lost++;
      }
    }
    return OptionalDouble.of(100.0 * lost / ring.filled);
  }

  /**
   * Whether {@code tunnel}'s peer is still being found: fewer than {@value #FIRST_PROBES} probes so
   * far and none answered. A new tunnel's first probe often goes out before the far end has its
   * config (the VPS is given the peer config when the operator wrote it, the same second); a lost
   * one then says nothing about the peer, and reporting it as unreachable raised a Warning and a
   * Degraded Tunnel on the way to Ready.
   */
  public boolean probing(String tunnel) {
    Ring ring = rings.get(tunnel);
    if (ring == null) {
      return true;
    }
    if (ring.filled >= FIRST_PROBES) {
      return false;
    }
    for (int i = 0; i < ring.filled; i++) {
      if (ring.answered[i]) {
        return false;
      }
    }
    return true;
  }

  /** Forgets tunnels that are gone. */
  public void retain(Set<String> tunnels) {
    rings.keySet().retainAll(tunnels);
  }
}
