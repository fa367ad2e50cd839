package io.tunnelier.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  double jitter = 0.5;
  final RetryBackoff backoff =
      new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> jitter);

  List<Long> failures(int n) {
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      waits.add(backoff.failed().toMillis());
    }
    return waits;
  }

  @Test
  void theCeilingDoublesFromOneSecondUpToTheCap() {
    assertThat(failures(9))
        .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
    assertThat(backoff.ceiling()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void eachWaitIsDrawnBelowTheCeiling() {
    jitter = 0.0;
    assertThat(backoff.failed()).isZero();
    jitter = 0.999;
    assertThat(backoff.failed()).isEqualTo(Duration.ofMillis(1998));
    assertThat(backoff.ceiling()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aSuccessResetsIt() {
    failures(5);
    backoff.succeeded();
    assertThat(backoff.ceiling()).isZero();
    assertThat(backoff.failed()).isEqualTo(Duration.ofMillis(500));
  }
}
