package io.tunnelier.e2e.scenario;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Requests from one pod to the web host, one after another, each answer (the source address the web
 * host saw) or failure kept with its time. Bounded: at most {@code maxRequests}, for at most {@code
 * maxDuration}, each request at most 2 s.
 */
final class RequestLoop implements AutoCloseable {
  /** One request: when it started and ended, and the source the web host saw (null: failed). */
  record Sample(Instant start, Instant end, String source) {}

  private final Netns pod;
  private final Duration maxDuration;
  private final int maxRequests;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  RequestLoop(Netns pod, Duration maxDuration, int maxRequests) {
    this.pod = pod;
    this.maxDuration = maxDuration;
    this.maxRequests = maxRequests;
    this.thread = new Thread(this::run, "requests-" + pod.name());
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long deadline = System.nanoTime() + maxDuration.toNanos();
    for (int i = 0; i < maxRequests && !stopped && System.nanoTime() < deadline; i++) {
      Instant start = Instant.now();
      Exec.Result r =
          pod.exec(
              Duration.ofSeconds(5),
              "curl",
              "-s",
              "--max-time",
              "1",
              "http://" + ClusterLab.WEB_ADDRESS + ":" + ClusterLab.WEB_PORT + "/");
      Sample s = new Sample(start, Instant.now(), r.exitCode() == 0 ? r.stdout().strip() : null);
      synchronized (samples) {
        samples.add(s);
      }
      if (s.source() != null) {
        sleep(100); // a failed request already waited; a successful one paces the loop
      }
    }
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** The first request that started after {@code t} and was answered with {@code source}. */
  Optional<Sample> firstAnsweredAfter(Instant t, String source) {
    return samples().stream()
        .filter(s -> !s.start().isBefore(t) && source.equals(s.source()))
        .findFirst();
  }

  /** The last request that ended before {@code t} and was answered with {@code source}. */
  Optional<Sample> lastAnsweredBefore(Instant t, String source) {
    return samples().stream()
        .filter(s -> s.end().isBefore(t) && source.equals(s.source()))
        .reduce((a, b) -> b);
  }

  long countAnswered(String source) {
    return samples().stream().filter(s -> source.equals(s.source())).count();
  }

  /** The answers between two times, in order: e.g. "203.0.113.10 x3, failed x5, ...". */
  String summary(Instant from, Instant to) {
    List<String> runs = new ArrayList<>();
    String current = null;
    int count = 0;
    for (Sample s : samples()) {
      if (s.start().isBefore(from) || s.start().isAfter(to)) {
        continue;
      }
      String what = s.source() == null ? "failed" : s.source();
      if (what.equals(current)) {
        count++;
      } else {
        if (current != null) {
          runs.add(current + " x" + count);
        }
        current = what;
        count = 1;
      }
    }
    if (current != null) {
      runs.add(current + " x" + count);
    }
    return String.join(", ", runs);
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
