package io.tunnelier.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KubernetesStatusWriterTest {
  private static NodeStatus entry(int mtu) {
    NodeStatus s = new NodeStatus();
    s.setName("node-a");
    s.setMtu(mtu);
    return s;
  }

  @Test
  void aSlowWriteNeverBlocksTheCallerAndTheLatestEntryWins() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstStarted = new CountDownLatch(1);
    List<String> writes = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger concurrentForOneKey = new AtomicInteger();
    AtomicInteger maxConcurrentForOneKey = new AtomicInteger();
    KubernetesStatusWriter.Write slow =
        (key, e) -> {
          int now = concurrentForOneKey.incrementAndGet();
          maxConcurrentForOneKey.accumulateAndGet(now, Math::max);
          firstStarted.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
          }
          writes.add(key + " mtu=" + e.getMtu());
          concurrentForOneKey.decrementAndGet();
          return true;
        };
    try (KubernetesStatusWriter writer =
        new KubernetesStatusWriter(null, "node-a", Duration.ZERO, slow)) {
      writer.report("ns/t", entry(1400));
      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      writer.report("ns/t", entry(1401));
      writer.report("ns/t", entry(1402));
      // Had a report waited for the write, it would have returned only after the write ended.
      assertThat(writes).as("reports returned while the first write still ran").isEmpty();
      release.countDown();
      writer.close(Duration.ofSeconds(10));
    }
    // The first was in flight; 1401 was replaced by 1402 while waiting.
    assertThat(writes).containsExactly("ns/t mtu=1400", "ns/t mtu=1402");
    assertThat(maxConcurrentForOneKey).hasValue(1);
  }

  @Test
  void whatIsReportedDuringAWriteIsDroppedWhenOnlyItsCountersDiffer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch bothStarted = new CountDownLatch(2);
    List<String> writes = Collections.synchronizedList(new ArrayList<>());
    KubernetesStatusWriter.Write slow =
        (key, e) -> {
          bothStarted.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
          }
          writes.add(key + " rx=" + e.getRxBytes() + " mtu=" + e.getMtu());
          return true;
        };
    try (KubernetesStatusWriter writer =
        new KubernetesStatusWriter(null, "node-a", Duration.ofMillis(200), slow)) {
      writer.report("ns/same", counted(entry(1400), 1));
      writer.report("ns/changed", counted(entry(1400), 1));
      // Both first writes are in flight (not waiting, where a report would replace them).
      assertThat(bothStarted.await(10, TimeUnit.SECONDS)).isTrue();
      writer.report("ns/same", counted(entry(1400), 2)); // the next pass, only counters moved
      writer.report("ns/changed", counted(entry(1380), 2)); // the MTU changed meanwhile
      release.countDown();
      writer.close(Duration.ofSeconds(10));
    }
    assertThat(writes)
        .containsExactlyInAnyOrder(
            "ns/same rx=1 mtu=1400", "ns/changed rx=1 mtu=1400", "ns/changed rx=2 mtu=1380");
  }

  private static NodeStatus counted(NodeStatus s, long rxBytes) {
    s.setRxBytes(rxBytes);
    return s;
  }

  @Test
  void differentTunnelsAreWrittenInParallel() throws Exception {
    int tunnels = KubernetesStatusWriter.WRITERS;
    CountDownLatch allStarted = new CountDownLatch(tunnels);
    ConcurrentHashMap<String, Boolean> landed = new ConcurrentHashMap<>();
    KubernetesStatusWriter.Write together =
        (key, e) -> {
          allStarted.countDown();
          try {
            // One after the other, the first would wait here in vain.
            landed.put(key, allStarted.await(10, TimeUnit.SECONDS));
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
          }
          return true;
        };
    try (KubernetesStatusWriter writer =
        new KubernetesStatusWriter(null, "node-a", Duration.ZERO, together)) {
      for (int i = 0; i < tunnels; i++) {
        writer.report("ns/t" + i, entry(1400));
      }
      writer.close(Duration.ofSeconds(20));
    }
    assertThat(landed).hasSize(tunnels).doesNotContainValue(false);
  }

  @Test
  void anUnchangedEntryIsNotWrittenAgainWithinTheInterval() throws Exception {
    AtomicInteger writes = new AtomicInteger();
    KubernetesStatusWriter.Write counting =
        (key, e) -> {
          writes.incrementAndGet();
          return true;
        };
    try (KubernetesStatusWriter writer =
        new KubernetesStatusWriter(null, "node-a", Duration.ofMinutes(1), counting)) {
      writer.report("ns/t", entry(1400));
      // Let the first write land, so the next report is judged against it.
      for (int i = 0; i < 200 && writes.get() == 0; i++) {
        Thread.sleep(10);
      }
      writer.report("ns/t", entry(1400));
      writer.close(Duration.ofSeconds(10));
    }
    assertThat(writes).hasValue(1);
  }

  @Test
  void aChangeWithinTheIntervalIsWrittenWhenItEndsWithoutAnotherReport() throws Exception {
    List<Integer> writes = Collections.synchronizedList(new ArrayList<>());
    KubernetesStatusWriter.Write recording =
        (key, e) -> {
          writes.add(e.getMtu());
          return true;
        };
    try (KubernetesStatusWriter writer =
        new KubernetesStatusWriter(null, "node-a", Duration.ofMillis(300), recording)) {
      writer.report("ns/t", entry(1400));
      for (int i = 0; i < 500 && writes.isEmpty(); i++) {
        Thread.sleep(10);
      }
      writer.report("ns/t", entry(1380)); // within the interval: held back, not dropped
      for (int i = 0; i < 500 && writes.size() < 2; i++) {
        Thread.sleep(10);
      }
    }
    assertThat(writes).containsExactly(1400, 1380);
  }

  @Test
  void aFailedWriteIsTriedAgainOnTheNextReport() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    KubernetesStatusWriter.Write failingOnce = (key, e) -> attempts.incrementAndGet() > 1;
    try (KubernetesStatusWriter writer =
        new KubernetesStatusWriter(null, "node-a", Duration.ofMinutes(1), failingOnce)) {
      writer.report("ns/t", entry(1400));
      for (int i = 0; i < 200 && attempts.get() == 0; i++) {
        Thread.sleep(10);
      }
      Thread.sleep(50);
      writer.report("ns/t", entry(1400));
      writer.close(Duration.ofSeconds(10));
    }
    assertThat(attempts).hasValue(2);
  }

  @Test
  void withLivenessInTheLeaseNoUnchangedEntryIsRewrittenAtOnce() throws Exception {
    List<String> writes = Collections.synchronizedList(new ArrayList<>());
    KubernetesStatusWriter.Write recording =
        (key, e) -> {
          writes.add(key);
          return true;
        };
    try (KubernetesStatusWriter writer =
        new KubernetesStatusWriter(null, "node-a", Duration.ZERO, true, recording)) {
      NodeStatus member = entry(1400);
      member.setRole(NodeRole.MEMBER);
      NodeStatus gateway = entry(1400);
      gateway.setRole(NodeRole.GATEWAY);
      writer.report("ns/member", member);
      writer.report("ns/gateway", gateway);
      for (int i = 0; i < 500 && writes.size() < 2; i++) {
        Thread.sleep(10);
      }
      // The interval (zero) is over, and neither goes out again: the member's entry has nothing
      // to refresh, the gateway's unmoved readings wait their five minutes (refreshEvery).
      writer.report("ns/member", member);
      writer.report("ns/gateway", gateway);
      writer.close(Duration.ofSeconds(10));
    }
    assertThat(writes).containsExactlyInAnyOrder("ns/member", "ns/gateway");
  }

  @Test
  void theGatewayWritesAFirstReadingAtOnceAMovedOneAfterAMinuteElseAfterFive() {
    NodeStatus shown = gatewayReading(20.0, 0.0, 1000L);
    Duration min = Duration.ofSeconds(5);

    NodeStatus bytesOnly = gatewayReading(23.0, 0.0, 5000L); // 3 ms: jitter, under 20% of 20 ms
    assertThat(KubernetesStatusWriter.refreshEvery(shown, bytesOnly, min, true))
        .hasValue(Duration.ofMinutes(5));

    NodeStatus lossy = gatewayReading(20.0, 33.3, 1000L);
    assertThat(KubernetesStatusWriter.refreshEvery(shown, lossy, min, true))
        .hasValue(Duration.ofMinutes(1));
    assertThat(KubernetesStatusWriter.refreshEvery(shown, lossy, Duration.ofMinutes(2), true))
        .as("never more often than --status-min-interval")
        .hasValue(Duration.ofMinutes(2));

    NodeStatus quiet = gatewayReading(20.0, 0.0, 0L);
    NodeStatus firstBytes = gatewayReading(20.0, 0.0, 148L);
    assertThat(KubernetesStatusWriter.refreshEvery(quiet, firstBytes, min, true))
        .as("the first bytes are news, as the operator's copy treats them")
        .hasValue(min);
    NodeStatus noRtt = entry(1400);
    noRtt.setRole(NodeRole.GATEWAY);
    assertThat(KubernetesStatusWriter.refreshEvery(noRtt, shown, min, true))
        .as("so is the first RTT")
        .hasValue(min);

    NodeStatus member = entry(1400);
    member.setRole(NodeRole.MEMBER);
    assertThat(KubernetesStatusWriter.refreshEvery(member, member, min, true))
        .as("the Lease says the member is alive")
        .isEmpty();
    // Without the Lease every entry is the agent's sign of life.
    assertThat(KubernetesStatusWriter.refreshEvery(member, member, min, false))
        .hasValue(Duration.ofSeconds(30));
    assertThat(KubernetesStatusWriter.refreshEvery(shown, bytesOnly, min, false))
        .hasValue(Duration.ofSeconds(30));
  }

  @Test
  void withLivenessInTheLeaseAChangedMemberEntryIsStillWritten() throws Exception {
    List<Integer> writes = Collections.synchronizedList(new ArrayList<>());
    KubernetesStatusWriter.Write recording =
        (key, e) -> {
          writes.add(e.getMtu());
          return true;
        };
    try (KubernetesStatusWriter writer =
        new KubernetesStatusWriter(null, "node-a", Duration.ZERO, true, recording)) {
      NodeStatus first = entry(1400);
      first.setRole(NodeRole.MEMBER);
      writer.report("ns/t", first);
      for (int i = 0; i < 500 && writes.isEmpty(); i++) {
        Thread.sleep(10);
      }
      NodeStatus changed = entry(1380);
      changed.setRole(NodeRole.MEMBER);
      writer.report("ns/t", changed);
      writer.close(Duration.ofSeconds(10));
    }
    assertThat(writes).containsExactly(1400, 1380);
  }

  /** A gateway's entry with these readings; it sent twice the bytes it received. */
  private static NodeStatus gatewayReading(double rttMillis, double lossPercent, long rxBytes) {
    NodeStatus e = entry(1400);
    e.setRole(NodeRole.GATEWAY);
    e.setRttMillis(rttMillis);
    e.setLossPercent(lossPercent);
    e.setRxBytes(rxBytes);
    e.setTxBytes(2 * rxBytes);
    return e;
  }
}
