package io.tunnelier.agent.status;

import io.tunnelier.agent.DaemonThreads;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes the peers of many tunnels at once, and waits for them at most a budget. One after the
 * other, a gateway with 200 tunnels whose peers do not answer yet (a VPS still loading their
 * configs) spent 200 probe timeouts per pass before it reported anything; in parallel, but waiting
 * for all, a pass still cost a timeout per round of threads, and the agent opened no new tunnel
 * meanwhile. Now a pass waits at most {@code budget}; a probe still running then is left running
 * (never started twice), its answer is kept for the next pass, and {@code onLate} asks for that
 * pass. A pass may stop waiting sooner ({@link #probe(Map, CompletionStage)}): when something else
 * needs a pass, its changes must not wait behind this one's probes.
 */
public final class ParallelProbes implements AutoCloseable {
  /** What to probe for one tunnel: its peer's inner address, and its underlay host (or null). */
  public record Target(String inner, String direct) {}

  /** Round trips in milliseconds; empty when there was no answer (or nothing to probe). */
  public record Result(OptionalDouble rtt, OptionalDouble direct) {}

  private final PeerProbe probe;
  private final ExecutorService pool;
  private final Duration budget;
  private final Runnable onLate;
  private final Map<String, CompletableFuture<Result>> running = new HashMap<>();
  private final Map<String, Result> late = new HashMap<>();
  // Futures a pass is waiting for, and those it took before their completion callback ran: their
  // answers are the pass's, not late.
  private final Set<CompletableFuture<Result>> waitedFor = new HashSet<>();
  private final Set<CompletableFuture<Result>> taken = new HashSet<>();

  public ParallelProbes(PeerProbe probe, int threads, Duration budget, Runnable onLate) {
    this.probe = probe;
    this.budget = budget;
    this.onLate = onLate;
    this.pool = Executors.newFixedThreadPool(threads, DaemonThreads.numbered("peer-probe"));
  }

  /**
   * Answers for the given tunnels, keys as given: a late answer from an earlier pass, else a new
   * (or still running) probe that finished within the budget. Tunnels whose probe is still running
   * are missing from the result.
   */
  public Map<String, Result> probe(Map<String, Target> targets) {
    return probe(targets, new CompletableFuture<>());
  }

  /**
   * {@link #probe(Map)}, but waiting no longer once {@code stopWaiting} completes: what is not done
   * by then is answered later, as when the budget runs out.
   */
  public Map<String, Result> probe(Map<String, Target> targets, CompletionStage<?> stopWaiting) {
    Map<String, CompletableFuture<Result>> waiting = new LinkedHashMap<>();
    Map<String, Result> results = new LinkedHashMap<>();
    synchronized (this) {
      late.keySet().retainAll(targets.keySet());
      targets.forEach(
          (key, target) -> {
            Result done = late.remove(key);
            if (done != null) {
              results.put(key, done);
            } else {
              CompletableFuture<Result> f = running.get(key);
              if (f == null) {
                f = start(target);
                running.put(key, f);
                waitedFor.add(f);
                // Registered once it is known as running and waited for: a probe that already
                // finished runs this at once, here, and must find it so.
                CompletableFuture<Result> started = f;
                f.thenAccept(result -> finished(key, started, result));
              } else {
                waitedFor.add(f);
              }
              waiting.put(key, f);
            }
          });
    }
    CompletableFuture<Void> all =
        CompletableFuture.allOf(waiting.values().toArray(CompletableFuture[]::new));
    try {
      CompletableFuture.anyOf(all, stopWaiting.toCompletableFuture())
          .get(budget.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException stillRunning) {
      // kept in `running`; their answers land in `late`
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException cannotHappen) {
      // safely() catches what a probe throws
    }
    synchronized (this) {
      waiting.forEach(
          (key, f) -> {
            waitedFor.remove(f);
            if (f.isDone()) {
              results.putIfAbsent(key, f.getNow(null));
              if (running.get(key) == f) {
                // Its callback has yet to run (its thread may be descheduled for a while): no
                // longer running for the next pass, which would take this answer again.
                running.remove(key);
                taken.add(f);
              }
            }
          });
    }
    return results;
  }

  private CompletableFuture<Result> start(Target target) {
    return CompletableFuture.supplyAsync(
        () ->
            new Result(
                safely(target.inner()),
                target.direct() == null ? OptionalDouble.empty() : safely(target.direct())),
        pool);
  }

  private void finished(String key, CompletableFuture<Result> f, Result result) {
    synchronized (this) {
      running.remove(key, f);
      if (taken.remove(f) || waitedFor.contains(f)) {
        return; // the pass waiting for it takes it
      }
      late.put(key, result);
    }
    onLate.run();
  }

  /** A probe that throws counts as no answer, like a timeout. */
  private OptionalDouble safely(String address) {
    try {
      return probe.rttMillis(address);
    } catch (RuntimeException e) {
      return OptionalDouble.empty();
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
