package io.tunnelier.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ParallelProbesTest {
  @Test
  void probesRunAtOnceAndEachTunnelGetsItsOwnAnswers() {
    int tunnels = 8;
    // Every inner probe waits until all of them have started: run one after the other, the first
    // would give up (no answer) instead of returning its RTT.
    CountDownLatch allStarted = new CountDownLatch(tunnels);
    PeerProbe probe =
        address -> {
          if (address.startsWith("100.")) {
            allStarted.countDown();
            try {
              if (!allStarted.await(10, TimeUnit.SECONDS)) {
                return OptionalDouble.empty();
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return OptionalDouble.empty();
            }
            return OptionalDouble.of(
                Integer.parseInt(address.substring(address.lastIndexOf('.') + 1)));
          }
          if (address.equals("203.0.113.66")) {
            throw new IllegalStateException("socket trouble");
          }
          return OptionalDouble.of(0.5);
        };
    Map<String, ParallelProbes.Target> targets = new HashMap<>();
    for (int i = 0; i < tunnels; i++) {
      targets.put(
          "ns/t" + i,
          new ParallelProbes.Target(
              "100.96.0." + (i * 2 + 1), i == 0 ? null : i == 1 ? "203.0.113.66" : "203.0.113.10"));
    }
    try (ParallelProbes probes =
        new ParallelProbes(probe, tunnels, Duration.ofSeconds(20), () -> {})) {
      Map<String, ParallelProbes.Result> results = probes.probe(targets);
      assertThat(results).hasSize(tunnels);
      for (int i = 0; i < tunnels; i++) {
        assertThat(results.get("ns/t" + i).rtt()).hasValue(i * 2 + 1);
      }
      assertThat(results.get("ns/t0").direct()).as("no underlay host: not probed").isEmpty();
      assertThat(results.get("ns/t1").direct()).as("a probe that throws: no answer").isEmpty();
      assertThat(results.get("ns/t2").direct()).hasValue(0.5);
    }
  }

  @Test
  void anAnswerTakenByOnePassIsNeverTheNextPassesToo() {
    // The pool thread completes a probe, then runs its callback: descheduled in between (a loaded
    // node), the next pass found the probe still "running" and took the same answer again, which
    // turned a peer that stopped answering into one answered twice (found under load: 1 pass in 5).
    AtomicInteger calls = new AtomicInteger();
    PeerProbe probe = address -> OptionalDouble.of(calls.incrementAndGet());
    Map<String, ParallelProbes.Target> target =
        Map.of("ns/t", new ParallelProbes.Target("100.96.0.3", null));
    try (ParallelProbes probes = new ParallelProbes(probe, 2, Duration.ofSeconds(20), () -> {})) {
      double previous = 0;
      for (int pass = 0; pass < 5_000; pass++) {
        double answer = probes.probe(target).get("ns/t").rtt().orElseThrow();
        assertThat(answer).as("pass %d: a new probe's answer", pass).isGreaterThan(previous);
        previous = answer;
      }
    }
  }

  @Test
  void aProbeOverTheBudgetIsAnsweredInTheNextPassWhichItTriggers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    Semaphore triggers = new Semaphore(0);
    PeerProbe probe =
        address -> {
          if (address.equals("100.96.0.3")) {
            started.incrementAndGet();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return OptionalDouble.of(7);
          }
          return OptionalDouble.of(1);
        };
    Map<String, ParallelProbes.Target> targets =
        Map.of(
            "ns/fast", new ParallelProbes.Target("100.96.0.1", null),
            "ns/slow", new ParallelProbes.Target("100.96.0.3", null));
    try (ParallelProbes probes =
        new ParallelProbes(probe, 4, Duration.ofMillis(200), triggers::release)) {
      Map<String, ParallelProbes.Result> first = probes.probe(targets);
      assertThat(first).containsOnlyKeys("ns/fast");
      assertThat(triggers.availablePermits()).as("answers taken in time trigger nothing").isZero();

      // Still running: not started a second time.
      Map<String, ParallelProbes.Result> second = probes.probe(targets);
      assertThat(second).containsOnlyKeys("ns/fast");
      assertThat(started).hasValue(1);

      release.countDown();
      assertThat(triggers.tryAcquire(10, TimeUnit.SECONDS))
          .as("the late answer asks for a pass")
          .isTrue();
      Map<String, ParallelProbes.Result> third = probes.probe(targets);
      assertThat(third.get("ns/slow").rtt()).hasValue(7);
      assertThat(third.get("ns/fast").rtt()).hasValue(1);
      assertThat(triggers.tryAcquire(300, TimeUnit.MILLISECONDS)).isFalse();
    }
  }

  @Test
  void lateAnswersOfTunnelsNoLongerProbedAreForgotten() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    Semaphore triggers = new Semaphore(0);
    PeerProbe probe =
        address -> {
          if (calls.incrementAndGet() == 1) {
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return OptionalDouble.of(3);
          }
          return OptionalDouble.of(9);
        };
    ParallelProbes.Target gone = new ParallelProbes.Target("100.96.0.1", null);
    try (ParallelProbes probes =
        new ParallelProbes(probe, 2, Duration.ofMillis(50), triggers::release)) {
      assertThat(probes.probe(Map.of("ns/gone", gone))).isEmpty();
      release.countDown();
      assertThat(triggers.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      // A pass without the tunnel drops its late answer (3).
      probes.probe(Map.of("ns/other", new ParallelProbes.Target("100.96.0.5", null)));
      ParallelProbes.Result again = null;
      for (int i = 0; i < 100 && again == null; i++) {
        again = probes.probe(Map.of("ns/gone", gone)).get("ns/gone");
      }
      assertThat(again).isNotNull();
      assertThat(again.rtt()).as("probed afresh, not the forgotten answer").hasValue(9);
    }
  }

  /**
   * A pass that something else needs to follow stops waiting for its probes: with a budget of an
   * hour, only being told to stop returns this one (the timeout is a guard against hanging).
   */
  @Test
  @Timeout(60)
  void aPassStopsWaitingWhenToldToAndTheProbeIsAnsweredLater() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch slowStarted = new CountDownLatch(1);
    Semaphore triggers = new Semaphore(0);
    PeerProbe probe =
        address -> {
          slowStarted.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return OptionalDouble.of(4);
        };
    Map<String, ParallelProbes.Target> targets =
        Map.of("ns/slow", new ParallelProbes.Target("100.96.0.3", null));
    try (ParallelProbes probes =
        new ParallelProbes(probe, 2, Duration.ofHours(1), triggers::release)) {
      CompletableFuture<Void> stop = new CompletableFuture<>();
      CompletableFuture<Map<String, ParallelProbes.Result>> pass =
          CompletableFuture.supplyAsync(() -> probes.probe(targets, stop));
      assertThat(slowStarted.await(30, TimeUnit.SECONDS)).isTrue();
      stop.complete(null);
      assertThat(pass.get()).as("the probe still running is not in this pass").isEmpty();

      release.countDown();
      assertThat(triggers.tryAcquire(30, TimeUnit.SECONDS))
          .as("its late answer asks for a pass")
          .isTrue();
      assertThat(probes.probe(targets).get("ns/slow").rtt()).hasValue(4);
    }
  }
}
