package io.tunnelier.e2e.bench;

import io.tunnelier.agent.ImageJvmFlags;
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
   * The node-agent image's JVM flags (its Dockerfile's ENTRYPOINT, whose comments say why each is
   * there) under the chart's 512Mi memory limit, so the lab's agents size their heap as in a 512Mi
   * container, not from this 24 GiB host. The image's compiler directives come from the checkout.
   */
  public static final List<String> AGENT_JVM =
      withLimit(ImageJvmFlags.nodeAgent(TunnelierCluster.repoRoot()));

  /** The operator image's JVM flags (its Dockerfile's ENTRYPOINT), under the same limit. */
  public static final List<String> OPERATOR_JVM =
      withLimit(ImageJvmFlags.operator(TunnelierCluster.repoRoot()));

  /** The chart's 512Mi limit as the JVM in a container sees it, then the image's own flags. */
  private static List<String> withLimit(List<String> imageFlags) {
    List<String> flags = new ArrayList<>();
    flags.add("-XX:MaxRAM=512m");
    flags.addAll(imageFlags);
    return List.copyOf(flags);
  }

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
