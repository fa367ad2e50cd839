package io.tunnelier.e2e.kind;

import io.tunnelier.agent.lab.Exec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The docker CLI, each call bounded in time. Debian's CLI where present: it matches the engine. */
final class Docker {
  private static final String CLI =
      java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/docker"))
          ? "/usr/bin/docker"
          : "docker";
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private Docker() {}

  static String cli() {
    return CLI;
  }

  /** {@code docker <args>}; throws with its stderr when it fails. */
  static String run(String... args) {
    return run(DEFAULT_TIMEOUT, args);
  }

  static String run(Duration timeout, String... args) {
    return Exec.run(timeout, command(args)).orThrow().stdout().strip();
  }

  /** {@code docker <args>} whatever its outcome. */
  static Exec.Result attempt(String... args) {
    return Exec.run(DEFAULT_TIMEOUT, command(args));
  }

  /** {@code docker exec <container> <command>}: its stdout; throws when it fails. */
  static String exec(String container, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", container));
    args.addAll(List.of(command));
    return run(args.toArray(String[]::new));
  }

  /** {@code docker exec -i <container> <command>} with {@code stdin}. */
  static String execWithInput(String container, String stdin, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", "-i", container));
    args.addAll(List.of(command));
    return Exec.run(
            DEFAULT_TIMEOUT,
            command(args.toArray(String[]::new)),
            stdin.getBytes(StandardCharsets.UTF_8))
        .orThrow()
        .stdout()
        .strip();
  }

  /** The container's address on {@code network}. */
  static String address(String container, String network) {
    return run(
        "inspect",
        "-f",
        "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}",
        container);
  }

  static boolean exists(String container) {
    return attempt("container", "inspect", container).exitCode() == 0;
  }

  /** Removes containers, ignoring those that are not there. */
  static void removeQuietly(String... containers) {
    for (String c : containers) {
      attempt("rm", "-f", "-v", c);
    }
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(CLI));
    command.addAll(List.of(args));
    return command;
  }
}
