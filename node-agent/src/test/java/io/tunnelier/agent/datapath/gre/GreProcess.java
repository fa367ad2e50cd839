package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.lab.Netns;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@link GreTunnelMain} in a lab namespace as its own JVM (one datapath process per node, as
 * in production) from the test classpath, and reads what it prints. The lab kills it on close.
 */
public final class GreProcess {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final Path log;

  private GreProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the tunnels given as {@code --tunnel} specs, plus extra arguments, and waits for them.
   */
  public static GreProcess start(Netns ns, Path dir, List<String> tunnels, String... extra)
      throws Exception {
    Path log = Files.createTempFile(dir, "gre-" + ns.name() + "-", ".log");
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.add("-Xmx256m");
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(GreTunnelMain.class.getName());
    for (String t : tunnels) {
      argv.add("--tunnel");
      argv.add(t);
    }
    argv.addAll(List.of(extra));
    GreProcess p = new GreProcess(ns.spawn(log.toFile(), argv.toArray(String[]::new)), log);
    p.awaitReady(tunnels.size());
    return p;
  }

  private void awaitReady(int tunnels) throws Exception {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String text = output();
      if (text.lines().filter(l -> l.startsWith("READY ")).count() >= tunnels) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "GreTunnelMain exited " + process.exitValue() + ":\n" + text);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "GreTunnelMain not ready in " + READY_TIMEOUT + ":\n" + output());
  }

  /** Removes a test's scratch directory (logs, captures). */
  public static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  public File log() {
    return log.toFile();
  }

  public Process process() {
    return process;
  }

  /** Stops the process (SIGTERM: it prints final STATS lines) and returns its output. */
  public String stop() throws Exception {
    process.destroy();
    process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    return output();
  }
}
