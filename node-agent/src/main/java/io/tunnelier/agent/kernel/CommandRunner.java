package io.tunnelier.agent.kernel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one external command ({@code ip}, {@code bridge}, {@code nft}, {@code wg}) to completion:
 * argv and optional standard input in, exit code and both outputs back. {@link ProcessRunner} is
 * the real one; unit tests record commands in a fake; lab tests {@link #prefixed} it with {@code ip
 * netns exec NS}.
 */
public interface CommandRunner {
  /** What a finished command printed and returned. */
  record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /**
   * Runs {@code command}, feeding it {@code stdin} (null: none), until it exits.
   *
   * @throws IOException if it cannot start or does not finish in time (it is then killed)
   */
  Result run(List<String> command, String stdin) throws IOException;

  default Result run(List<String> command) throws IOException {
    return run(command, null);
  }

  /** Runs and throws with the command and its own error output unless it exits 0. */
  default String runOk(List<String> command, String stdin) throws IOException {
    Result r = run(command, stdin);
    if (!r.ok()) {
      throw new IOException(
          String.join(" ", command) + " exited " + r.exitCode() + ": " + r.stderr().strip());
    }
    return r.stdout();
  }

  default String runOk(List<String> command) throws IOException {
    return runOk(command, null);
  }

  /** This runner with {@code prefix} in front of every command, e.g. {@code ip netns exec NS}. */
  default CommandRunner prefixed(List<String> prefix) {
    List<String> head = List.copyOf(prefix);
    return (command, stdin) -> {
      List<String> argv = new ArrayList<>(head);
      argv.addAll(command);
      return run(argv, stdin);
    };
  }
}
