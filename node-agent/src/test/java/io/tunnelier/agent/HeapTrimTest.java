package io.tunnelier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeapTrimTest {
  private static final long MIB = 1 << 20;
  private static final long SECOND = 1_000_000_000L;

  /** A heap whose committed size the test sets; a collection shrinks it to {@code live}. */
  static final class FakeHeap implements HeapTrim.Heap {
    long committed;
    long live;
    final List<Long> collections = new ArrayList<>();

    FakeHeap(long committed, long live) {
      this.committed = committed;
      this.live = live;
    }

    @Override
    public long committedBytes() {
      return committed;
    }

    @Override
    public void collect() {
      collections.add(committed);
      committed = Math.max(live * 5 / 4, 8 * MIB);
    }
  }

  private final ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
  private long now;

  @AfterEach
  void stop() {
    unused.shutdownNow();
  }

  private HeapTrim trim(FakeHeap heap) {
    return new HeapTrim(heap, () -> now, unused);
  }

  /** Ticks every 5 s for {@code seconds}. */
  private void run(HeapTrim trim, int seconds) {
    for (int s = 0; s < seconds; s += 5) {
      now += 5 * SECOND;
      trim.tick();
    }
  }

  @Test
  void aHeapThatGrewIsCollectedOnceItHasSettledAndNotAgain() {
    FakeHeap heap = new FakeHeap(20 * MIB, 16 * MIB);
    HeapTrim trim = trim(heap);
    heap.committed = 44 * MIB; // the informers' first lists
    run(trim, 15);
    assertThat(heap.collections).as("still settling").isEmpty();
    run(trim, 10);
    assertThat(heap.collections).containsExactly(44 * MIB);
    assertThat(heap.committed).isEqualTo(20 * MIB);
    run(trim, 600);
    assertThat(heap.collections).as("nothing grew since").hasSize(1);
  }

  @Test
  void aHeapStillGrowingWaitsUntilItGrewTwiceAsMuchAndSmallGrowthIsLeftAlone() {
    FakeHeap heap = new FakeHeap(30 * MIB, 24 * MIB);
    HeapTrim trim = trim(heap);
    for (int i = 1; i <= 12; i++) {
      heap.committed += 4 * MIB; // 200 Tunnels arriving
      run(trim, 10);
    }
    // Never still for 20 s: collected once 32 MiB above the start (62 MiB), back to 30, and what
    // grew after it once it held still.
    assertThat(heap.collections).containsExactly(62 * MIB);
    run(trim, 20);
    assertThat(heap.collections).containsExactly(62 * MIB, 46 * MIB);

    heap.committed = heap.committed + 15 * MIB;
    run(trim, 600);
    assertThat(heap.collections).as("less than 16 MiB of growth").hasSize(2);
  }

  @Test
  void aHeapThatNeverHoldsStillStaysWithin32MiBOfItsLastTrim() {
    // Passes that read the kernel every 5 s, each promoting 2 MiB of garbage (the lab's VPS with
    // 201 Tunnels and a 5 s resync): without a bound the heap only grows, up to its maximum.
    FakeHeap heap = new FakeHeap(25 * MIB, 20 * MIB);
    HeapTrim trim = trim(heap);
    long highest = 0;
    for (int s = 0; s < 300; s += 5) {
      heap.committed += 2 * MIB;
      highest = Math.max(highest, heap.committed);
      now += 5 * SECOND;
      trim.tick();
    }
    assertThat(heap.collections).as("collected in 300 s").hasSizeGreaterThanOrEqualTo(3);
    assertThat(highest).isLessThanOrEqualTo(57 * MIB);
  }

  @Test
  void aShrinkByTheCollectorItselfLowersTheBaseline() {
    FakeHeap heap = new FakeHeap(60 * MIB, 20 * MIB);
    HeapTrim trim = trim(heap);
    run(trim, 60);
    assertThat(heap.collections).as("no growth since start").isEmpty();
    heap.committed = 25 * MIB; // a full collection of its own
    run(trim, 30);
    heap.committed = 45 * MIB;
    run(trim, 30);
    assertThat(heap.collections).as("20 MiB above what the collector left").hasSize(1);
  }

  @Test
  void policyNeedsGrowthThenSettlingOrTwiceTheGrowth() {
    HeapTrim.Policy p =
        new HeapTrim.Policy(16 * MIB, Duration.ofSeconds(20), 32 * MIB, 10 * MIB, 0);
    assertThat(p.due(26 * MIB, 0)).isFalse();
    assertThat(p.due(26 * MIB, 19 * SECOND)).isFalse();
    assertThat(p.due(26 * MIB, 20 * SECOND)).isTrue();
    p.collected(12 * MIB, 21 * SECOND);
    assertThat(p.due(12 * MIB, 100 * SECOND)).isFalse();
    assertThat(p.due(27 * MIB, 101 * SECOND)).isFalse();
    assertThat(p.due(27 * MIB, 130 * SECOND)).isFalse();
    assertThat(p.due(28 * MIB, 131 * SECOND)).isFalse();
    assertThat(p.due(28 * MIB, 151 * SECOND)).isTrue();
    p.collected(12 * MIB, 152 * SECOND);
    assertThat(p.due(43 * MIB, 153 * SECOND)).as("31 MiB, still moving").isFalse();
    assertThat(p.due(44 * MIB, 154 * SECOND)).as("32 MiB, still moving").isTrue();
  }
}
