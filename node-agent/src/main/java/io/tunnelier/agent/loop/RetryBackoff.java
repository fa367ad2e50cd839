package io.tunnelier.agent.loop;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long the loop waits after failed passes: exponential backoff with full jitter. The ceiling
 * starts at {@code first}, doubles with each failure up to {@code cap}, and each wait is drawn
 * uniformly below it, so agents that failed together (an API server outage) do not retry in step. A
 * successful pass resets it.
 */
final class RetryBackoff {
  private final Duration first;
  private final Duration cap;
  private final DoubleSupplier jitter;
  private Duration ceiling = Duration.ZERO;

  /**
   * @param jitter values in [0, 1): {@code ThreadLocalRandom} in production, fixed in tests
   */
  RetryBackoff(Duration first, Duration cap, DoubleSupplier jitter) {
    this.first = first;
    this.cap = cap;
    this.jitter = jitter;
  }

  /** A pass failed: the wait before the next one. */
  Duration failed() {
    ceiling = ceiling.isZero() ? first : min(ceiling.multipliedBy(2), cap);
    return Duration.ofMillis((long) (jitter.getAsDouble() * ceiling.toMillis()));
  }

  /** A pass succeeded: the next failure waits below {@code first} again. */
  void succeeded() {
    ceiling = Duration.ZERO;
  }

  /** The current ceiling; zero after a success. */
  Duration ceiling() {
    return ceiling;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
