package io.tunnelier.e2e.bench;

import io.tunnelier.agent.lab.Netns;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Starts a main class of this JVM's classpath as its own JVM inside a lab namespace (one datapath
 * process per node, as in production), and waits until its log says it is up. The lab kills it on
 * close; {@link #stop} ends it with SIGTERM so it can print final counters and dump a recording.
 */
public final class LabJava {
  /**
   * JVM flags of the node-agent image under the chart's 512Mi memory limit: the heap and GC the JVM
   * picks there, not what this 24 GiB host would give it. In a 512Mi container the JVM sees 512 MiB
   * of memory, so it is no "server-class machine" and picks the serial collector; outside a
   * container MaxRAM sizes the heap but not that choice, so it is named here (G1 alone would add
   * about 40 MB of remembered sets to every RSS). The agent's heap is a quarter of the limit: with
   * 200 tunnels 45 MB stayed live after a full GC, but a 384 MB ceiling let the serial collector
   * grow the heap (and RSS) to 350 MB of mostly garbage; after a full collection it keeps 10-20%
   * free, not up to 70% (about 50 MB less heap with 201 tunnels). Compact object headers where the
   * runtime is 25 (the images'; a Java 17 lab ignores the flag, as an older image runtime does). C2
   * only for the datapaths, C1 for the rest: the image's compiler directives, from the checkout.
   */
  public static final List<String> AGENT_JVM =
      List.of(
          "-XX:MaxRAM=512m",
          "-XX:+UseSerialGC",
          "-XX:MaxRAMPercentage=25",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=20",
          "-XX:-ShrinkHeapInSteps",
          "-XX:+UnlockDiagnosticVMOptions",
          "-XX:CompilerDirectivesFile="
              + TunnelierCluster.repoRoot()
                  .resolve("node-agent/src/main/jvm/compiler-directives.json"),
          "-XX:+UnlockExperimentalVMOptions",
          "-XX:+IgnoreUnrecognizedVMOptions",
          "-XX:+UseCompactObjectHeaders",
          "-XX:+ExitOnOutOfMemoryError",
          "-XX:-UsePerfData");

  /**
   * The operator image's flags, under the same limit. Only the C1 compiler: the operator waits on
   * the API server and runs no loop that needs C2's code, and C2 compiling its paths was a third of
   * its CPU while 200 Tunnels were created, with a compiler arena and a larger code cache in its
   * RSS (benchmarks.md).
   */
  public static final List<String> OPERATOR_JVM =
      List.of(
          "-XX:MaxRAM=512m",
          "-XX:+UseSerialGC",
          "-XX:MaxRAMPercentage=40",
          "-XX:TieredStopAtLevel=1",
          "-XX:+UnlockExperimentalVMOptions",
          "-XX:+IgnoreUnrecognizedVMOptions",
          "-XX:+UseCompactObjectHeaders",
          "-XX:+ExitOnOutOfMemoryError",
          "-XX:-UsePerfData");

  private LabJava() {}

  public static Process start(
      Netns ns, Path log, List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(io.tunnelier.e2e.cluster.AgentJava.binary());
    argv.addAll(jvmOptions);
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(mainClass);
    argv.addAll(args);
    // A fresh log: the lab appends, and a path opened again (each round of the datapath suite)
    // would otherwise find the last process's ready line in it at once.
    try {
      java.nio.file.Files.deleteIfExists(log);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return ns.spawn(log.toFile(), argv.toArray(String[]::new));
  }

  /** Waits until the log satisfies {@code ready}; throws with the log when the process dies. */
  public static void awaitLog(Process p, Path log, Predicate<String> ready, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String text = read(log);
      if (ready.test(text)) {
        return;
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("process exited " + p.exitValue() + ":\n" + text);
      }
      sleep(100);
    }
    throw new IllegalStateException("not ready within " + timeout + ":\n" + read(log));
  }

  /** SIGTERM, then SIGKILL after {@code grace}. */
  public static void stop(Process p, Duration grace) {
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
