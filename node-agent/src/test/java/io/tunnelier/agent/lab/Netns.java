package io.tunnelier.agent.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One lab host: a network namespace the lab created. Commands run inside it. */
public final class Netns {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final Lab lab;
  private final String name;

  Netns(Lab lab, String name) {
    this.lab = lab;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Runs a command inside this namespace and returns its result, whatever the exit code. */
  public Exec.Result exec(String... command) {
    return exec(DEFAULT_TIMEOUT, command);
  }

  public Exec.Result exec(Duration timeout, String... command) {
    return Exec.run(timeout, wrap(command));
  }

  /** Runs a command inside this namespace; throws when it fails. */
  public String execOk(String... command) {
    return exec(command).orThrow().stdout();
  }

  /** {@code ip <args>} inside this namespace, split on spaces. */
  public String ip(String args) {
    return execOk(("ip " + args).split(" "));
  }

  /** Starts a long-running command inside this namespace; the lab kills it on close. */
  public Process spawn(File log, String... command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(wrap(command)).redirectErrorStream(true);
      builder.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : redirect(log));
      Process process = builder.start();
      lab.track(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + List.of(command) + " in " + name, e);
    }
  }

  private static ProcessBuilder.Redirect redirect(File log) {
    return ProcessBuilder.Redirect.appendTo(log);
  }

  /** The argv that runs {@code command} inside this namespace. */
  public List<String> wrap(String... command) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
    argv.addAll(List.of(command));
    return argv;
  }

  @Override
  public String toString() {
    return name;
  }
}
