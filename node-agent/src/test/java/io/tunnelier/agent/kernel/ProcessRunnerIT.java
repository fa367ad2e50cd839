package io.tunnelier.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real {@link ProcessRunner} with real child processes ({@code sh}, {@code sleep}). */
class ProcessRunnerIT {
  private final ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(2));

  @Test
  void stdinGoesInAndBothOutputsComeBack() throws Exception {
    CommandRunner.Result r =
        runner.run(List.of("sh", "-c", "cat; echo oops >&2; exit 3"), "hello\n");
    assertThat(r).isEqualTo(new CommandRunner.Result(3, "hello\n", "oops\n"));
  }

  @Test
  void aFailedCommandSaysWhatItPrintedOnStderr() {
    assertThatThrownBy(() -> runner.runOk(List.of("sh", "-c", "echo no such device >&2; exit 2")))
        .isInstanceOf(IOException.class)
        .hasMessage("sh -c echo no such device >&2; exit 2 exited 2: no such device");
  }

  @Test
  void theTimeoutCoversAChildThatNeverReadsItsInput() {
    String megabyte = "x".repeat(1 << 20); // far more than a pipe buffer holds
    long start = System.nanoTime();
    assertThatThrownBy(() -> runner.run(List.of("sleep", "30"), megabyte))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("did not finish within PT2S");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void prefixedPutsThePrefixInFront() throws Exception {
    assertThat(runner.prefixed(List.of("sh", "-c")).runOk(List.of("echo prefixed")))
        .isEqualTo("prefixed\n");
  }
}
