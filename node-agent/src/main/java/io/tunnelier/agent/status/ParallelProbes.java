package io.tunnelier.agent.status;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes the peers of many tunnels at once. One after the other, a gateway with 200 tunnels whose
 * peers do not answer yet (a VPS still loading their configs) spent 200 probe timeouts per pass
 * before it reported anything; in parallel a pass costs about one timeout.
 */
public final class ParallelProbes implements AutoCloseable {
  /** What to probe for one tunnel: its peer's inner address, and its underlay host (or null). */
  public record Target(String inner, String direct) {}

  /** Round trips in milliseconds; empty when there was no answer (or nothing to probe). */
  public record Result(OptionalDouble rtt, OptionalDouble direct) {}

  private final PeerProbe probe;
  private final ExecutorService pool;

  public ParallelProbes(PeerProbe probe, int threads) {
    this.probe = probe;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "peer-probe-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Probes every target concurrently and waits for all; keys as given. */
  public Map<String, Result> probe(Map<String, Target> targets) {
    Map<String, Future<Result>> pending = new LinkedHashMap<>();
    targets.forEach(
        (key, target) ->
            pending.put(
                key,
                pool.submit(
                    () ->
                        new Result(
                            safely(target.inner()),
                            target.direct() == null
                                ? OptionalDouble.empty()
                                : safely(target.direct())))));
    Map<String, Result> results = new LinkedHashMap<>();
    for (Map.Entry<String, Future<Result>> e : pending.entrySet()) {
      results.put(e.getKey(), await(e.getValue()));
    }
    return results;
  }

  /** A probe that throws counts as no answer, like a timeout. */
  private OptionalDouble safely(String address) {
    try {
      return probe.rttMillis(address);
    } catch (RuntimeException e) {
      return OptionalDouble.empty();
    }
  }

  private static Result await(Future<Result> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // cannot happen: safely() catches what a probe throws
    }
    return new Result(OptionalDouble.empty(), OptionalDouble.empty());
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
