package io.tunnelier.agent.datapath.wireguard.noise;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The sequence of wireguard-go's {@code replay/replay_test.go} (itself ported from the Linux
 * kernel's counter selftest), with its window size and its limit 2^64 - 2^4 - 1.
 */
class ReplayFilterTest {
  private static final long LIMIT = -(1L << 4) - 1;
  private static final long WINDOW = ReplayFilter.WINDOW_SIZE;
  private static final long T_LIM = WINDOW + 1;

  private final ReplayFilter filter = new ReplayFilter();
  private int number;

  private void t(long counter, boolean expected) {
    number++;
    assertThat(filter.validateCounter(counter, LIMIT))
        .as("test %d: counter %s", number, Long.toUnsignedString(counter))
        .isEqualTo(expected);
  }

  @Test
  void windowSizeIsWireguardGos() {
    assertThat(WINDOW).isEqualTo(8128);
  }

  @Test
  void kernelSequence() {
    filter.reset();
    t(0, true);
    t(1, true);
    t(1, false);
    t(9, true);
    t(8, true);
    t(7, true);
    t(7, false);
    t(T_LIM, true);
    t(T_LIM - 1, true);
    t(T_LIM - 1, false);
    t(T_LIM - 2, true);
    t(2, true);
    t(2, false);
    t(T_LIM + 16, true);
    t(3, false);
    t(T_LIM + 16, false);
    t(T_LIM * 4, true);
    t(T_LIM * 4 - (T_LIM - 1), true);
    t(10, false);
    t(T_LIM * 4 - T_LIM, false);
    t(T_LIM * 4 - (T_LIM + 1), false);
    t(T_LIM * 4 - (T_LIM - 2), true);
    t(T_LIM * 4 + 1 - T_LIM, false);
    t(0, false);
    t(LIMIT, false);
    t(LIMIT - 1, true);
    t(LIMIT, false);
    t(LIMIT - 1, false);
    t(LIMIT - 2, true);
    t(LIMIT + 1, false);
    t(LIMIT + 2, false);
    t(LIMIT - 2, false);
    t(LIMIT - 3, true);
    t(0, false);
  }

  @Test
  void bulk1() {
    for (long i = 1; i <= WINDOW; i++) {
      t(i, true);
    }
    t(0, true);
    t(0, false);
  }

  @Test
  void bulk2() {
    for (long i = 2; i <= WINDOW + 1; i++) {
      t(i, true);
    }
    t(1, true);
    t(0, false);
  }

  @Test
  void bulk3() {
    for (long i = WINDOW + 1; i > 0; i--) {
      t(i, true);
    }
  }

  @Test
  void bulk4() {
    for (long i = WINDOW + 2; i > 1; i--) {
      t(i, true);
    }
    t(0, false);
  }

  @Test
  void bulk5() {
    for (long i = WINDOW; i > 0; i--) {
      t(i, true);
    }
    t(WINDOW + 1, true);
    t(0, false);
  }

  @Test
  void bulk6() {
    for (long i = WINDOW; i > 0; i--) {
      t(i, true);
    }
    t(0, true);
    t(WINDOW + 1, true);
  }
}
