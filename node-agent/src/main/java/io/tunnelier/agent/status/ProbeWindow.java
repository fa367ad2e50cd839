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

  /** Forgets tunnels that are gone. */
  public void retain(Set<String> tunnels) {
    rings.keySet().retainAll(tunnels);
  }
}
