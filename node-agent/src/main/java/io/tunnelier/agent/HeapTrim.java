package io.tunnelier.agent;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap a burst grew back to the kernel. The serial collector (the images' choice for a
 * small heap) grows the heap during a burst (the informers' first lists, 200 Tunnels at once) and
 * shrinks it only after a full collection, which it runs only once the old generation fills: idle
 * agents kept 51-81 MB committed for a live set of 19-27 MB (docs/benchmarks.md). So once the
 * committed heap has grown by {@link #GROWTH} since the last trim and then not changed for {@link
 * #SETTLE}, one full collection shrinks it to the live set plus {@code MaxHeapFreeRatio}: a pause
 * of tens of milliseconds, only after the heap grew. A heap that never holds still (passes that
 * read the kernel more often than every {@link #SETTLE} each promote their garbage, and the
 * collector expands its old generation rather than collect it, up to the maximum heap) is collected
 * once it has grown by {@link #HARD_GROWTH}. {@code -Dtunnelier.heapTrim=false} turns it off.
 */
public final class HeapTrim implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeapTrim.class);

  static final long GROWTH = 16L << 20;
  static final Duration SETTLE = Duration.ofSeconds(20);
  static final long HARD_GROWTH = 2 * GROWTH;
  static final Duration TICK = Duration.ofSeconds(5);

  /** The heap as the trim sees it; {@link #jvm()} is the real one. */
  public interface Heap {
    long committedBytes();

    /** A full collection (which shrinks the heap as the collector's free ratios allow). */
    void collect();
  }

  /** This JVM's heap: its memory MXBean and {@link System#gc()}. */
  public static Heap jvm() {
    return new Heap() {
      @Override
      public long committedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
      }

      @Override
      public void collect() {
        System.gc(); // the point of this class: the serial collector does not shrink otherwise
      }
    };
  }

  /** When to collect, from one sample of the committed heap per tick; pure. */
  static final class Policy {
    private final long growth;
    private final long settleNanos;
    private final long hardGrowth;
    private long baseline;
    private long last;
    private long stableSince;

    Policy(long growth, Duration settle, long hardGrowth, long committed, long nowNanos) {
      this.growth = growth;
      this.settleNanos = settle.toNanos();
      this.hardGrowth = hardGrowth;
      this.baseline = committed;
      this.last = committed;
      this.stableSince = nowNanos;
    }

    /** Whether to collect now. */
    boolean due(long committed, long nowNanos) {
      if (committed != last) {
        last = committed;
        stableSince = nowNanos;
      }
      baseline = Math.min(baseline, committed); // the collector shrank it itself
      long grown = committed - baseline;
      return grown >= hardGrowth || (grown >= growth && nowNanos - stableSince >= settleNanos);
    }

    /** After a collection: what it left is the new baseline, so it is not repeated. */
    void collected(long committed, long nowNanos) {
      baseline = committed;
      last = committed;
      stableSince = nowNanos;
    }
  }

  private final Heap heap;
  private final LongSupplier nanos;
  private final Policy policy;
  private final ScheduledExecutorService timer;

  HeapTrim(Heap heap, LongSupplier nanos, ScheduledExecutorService timer) {
    this.heap = heap;
    this.nanos = nanos;
    this.policy = new Policy(GROWTH, SETTLE, HARD_GROWTH, heap.committedBytes(), nanos.getAsLong());
    this.timer = timer;
  }

  /** Starts the trim on its own thread, unless {@code -Dtunnelier.heapTrim=false}; else null. */
  public static HeapTrim start() {
    if (!Boolean.parseBoolean(System.getProperty("tunnelier.heapTrim", "true"))) {
      return null;
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("heap-trim"));
    HeapTrim trim = new HeapTrim(jvm(), System::nanoTime, timer);
    long tick = TICK.toMillis();
    timer.scheduleWithFixedDelay(trim::tick, tick, tick, TimeUnit.MILLISECONDS);
    return trim;
  }

  /** One sample; collects when due. */
  void tick() {
    try {
      long before = heap.committedBytes();
      if (!policy.due(before, nanos.getAsLong())) {
        return;
      }
      long start = nanos.getAsLong();
      heap.collect();
      long end = nanos.getAsLong();
      long after = heap.committedBytes();
      policy.collected(after, end);
      LOG.atInfo()
          .setMessage("heap trimmed after it grew")
          .addKeyValue("committedMiBBefore", before >> 20)
          .addKeyValue("committedMiBAfter", after >> 20)
          .addKeyValue("pauseMillis", (end - start) / 1_000_000)
          .log();
    } catch (RuntimeException e) {
      LOG.atWarn().setMessage("heap trim failed").setCause(e).log();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
