package io.tunnelier.agent.peers;

import io.tunnelier.agent.DaemonThreads;
import io.tunnelier.agent.status.PeerProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every peer of the Tunnels with backup peers once per {@code interval}, through each peer's
 * own device, on its own threads: the agent loop's probes run once per pass (the resync period),
 * far too seldom to notice a dead VPS within seconds. Rounds start at a fixed rate and each probe
 * gives up within the interval, so a lost probe costs one interval, not two (a fixed delay after a
 * round that waited for a timeout took 6 s to count three losses in the lab); a round that overruns
 * delays the next instead of overlapping it.
 */
public final class PeerHealthProber implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerHealthProber.class);
  private static final int THREADS = 4;

  private final PeerHealth health;
  private final PeerProbe probe;
  private final Duration interval;
  private final Clock clock;
  private final Consumer<List<PeerHealth.Switch>> onSwitch;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("peer-health"));
  private final ExecutorService pool =
      Executors.newFixedThreadPool(THREADS, DaemonThreads.numbered("peer-health-probe"));

  /**
   * @param probe an echo through the tunnel that gives up within {@code interval}
   * @param onSwitch told of every change of a Tunnel's peer in use (the loop is triggered there)
   */
  public PeerHealthProber(
      PeerHealth health,
      PeerProbe probe,
      Duration interval,
      Clock clock,
      Consumer<List<PeerHealth.Switch>> onSwitch) {
    this.health = health;
    this.probe = probe;
    this.interval = interval;
    this.clock = clock;
    this.onSwitch = onSwitch;
  }

  /** How long a probe may wait for its answer: most of the interval, leaving time to record it. */
  public static int probeTimeoutMillis(Duration interval) {
    return (int) Math.max(100, interval.toMillis() * 8 / 10);
  }

  public void start() {
    ticker.scheduleAtFixedRate(
        this::round, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One round: every target probed at once, each outcome recorded as it comes. */
  void round() {
    try {
      List<CompletableFuture<Void>> running = new ArrayList<>();
      for (PeerHealth.Target t : health.targets()) {
        running.add(
            CompletableFuture.supplyAsync(() -> safeProbe(t.inner()), pool)
                .thenAccept(
                    rtt -> {
                      List<PeerHealth.Switch> switches = health.record(t, rtt, clock.instant());
                      if (!switches.isEmpty()) {
                        onSwitch.accept(switches);
                      }
                    }));
      }
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
          .get(interval.toMillis() * 3, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // A round that failed or overran is skipped; the next one probes again.
      LOG.atDebug().setMessage("peer health round").addKeyValue("error", e.toString()).log();
    }
  }

  private OptionalDouble safeProbe(String inner) {
    try {
      return probe.rttMillis(inner);
    } catch (RuntimeException e) {
      return OptionalDouble.empty();
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    pool.shutdownNow();
  }
}
