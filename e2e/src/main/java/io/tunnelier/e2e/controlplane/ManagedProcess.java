package io.tunnelier.e2e.controlplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** One control-plane component: a child process whose output goes to a log file. */
final class ManagedProcess {
  private static final int TAIL_LINES = 50;

  private final String name;
  private final Path log;
  private final Process process;

  private ManagedProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static ManagedProcess start(String name, Path log, List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new ManagedProcess(name, log, process);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + command, e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  /**
   * Polls {@code probe} until it returns null (ready); otherwise it returns why not. Fails fast,
   * with the last reason and the log's tail, if the process exits or the timeout passes, so a
   * broken component is diagnosed from the exception alone.
   */
  void awaitReady(Duration timeout, Supplier<String> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String notReady = "not probed yet";
    while (true) {
      if (!process.isAlive()) {
        throw failure(name + " exited with code " + process.exitValue() + " while starting");
      }
      notReady = probe.get();
      if (notReady == null) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw failure(name + " not ready after " + timeout.toSeconds() + "s: " + notReady);
      }
      sleep(Duration.ofMillis(100));
    }
  }

  IllegalStateException failure(String message) {
    return new IllegalStateException(
        message + "\n--- last " + TAIL_LINES + " lines of " + log + " ---\n" + tail());
  }

  /** SIGTERM first so components shut down cleanly; SIGKILL if that takes longer than grace. */
  void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private String tail() {
    try {
      List<String> lines =
          new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
