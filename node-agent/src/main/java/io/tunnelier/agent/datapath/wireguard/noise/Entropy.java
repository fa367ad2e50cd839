package io.tunnelier.agent.datapath.wireguard.noise;

import java.security.SecureRandom;

/**
 * Where the protocol core gets its randomness (ephemeral keys, session indices, cookie secrets,
 * timer jitter). Production passes {@link #secure()}; unit tests pass a seeded source so handshakes
 * are reproducible.
 */
@FunctionalInterface
public interface Entropy {
  void nextBytes(byte[] bytes);

  static Entropy secure() {
    SecureRandom random = new SecureRandom();
    return random::nextBytes;
  }

  /** A uniformly distributed int in {@code [0, bound)}; bound must be positive. */
  default int nextInt(int bound) {
    byte[] four = new byte[4];
    nextBytes(four);
    int value =
        ((four[0] & 0xff) << 24)
            | ((four[1] & 0xff) << 16)
            | ((four[2] & 0xff) << 8)
            | (four[3] & 0xff);
    return Math.floorMod(value, bound);
  }
}
