package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.AgentHeartbeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
  /** A Lease that records what was done to it, and fails on demand like the API server. */
  static final class FakeLease implements HeartbeatLease {
    final List<String> calls = new ArrayList<>();
    boolean failing;

    @Override
    public void renew(boolean gatewayDuty) {
      if (failing) {
        throw new IllegalStateException("503 the API server is unavailable");
      }
      calls.add(gatewayDuty ? "gateway" : "idle");
    }
  }

  private final FakeLease lease = new FakeLease();
  private final AtomicBoolean duty = new AtomicBoolean();
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Heartbeat heartbeat = Heartbeat.manual(lease, duty::get, nanos::get);

  private void after(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void aNodeWithoutGatewayDutyRenewsOnlyEveryIdleInterval() {
    heartbeat.tick();
    after(Duration.ofSeconds(1));
    heartbeat.tick();
    after(AgentHeartbeat.IDLE_RENEW_EVERY.minusSeconds(2));
    heartbeat.tick();
    assertThat(lease.calls).containsExactly("idle");
    after(Duration.ofSeconds(1));
    heartbeat.tick();
    assertThat(lease.calls).containsExactly("idle", "idle");
  }

  @Test
  void renewsEveryTickWhileOnDutyAndSaysAtOnceWhenTheDutyEnds() {
    duty.set(true);
    heartbeat.tick();
    after(Duration.ofSeconds(1));
    heartbeat.tick();
    duty.set(false);
    after(Duration.ofSeconds(1));
    heartbeat.tick();
    after(Duration.ofSeconds(1));
    heartbeat.tick();
    duty.set(true);
    after(Duration.ofSeconds(1));
    heartbeat.tick();
    assertThat(lease.calls).containsExactly("gateway", "gateway", "idle", "gateway");
  }

  @Test
  void aFailedRenewalIsTriedAgainAtTheNextTickAndNeverThrows() {
    lease.failing = true;
    heartbeat.tick();
    after(Duration.ofSeconds(1));
    heartbeat.tick();
    lease.failing = false;
    after(Duration.ofSeconds(1));
    heartbeat.tick();
    assertThat(lease.calls).containsExactly("idle");
  }

  @Test
  void aFailedRenewalAtTheDutysEndIsTriedAgain() {
    duty.set(true);
    heartbeat.tick();
    duty.set(false);
    lease.failing = true;
    after(Duration.ofSeconds(1));
    heartbeat.tick();
    lease.failing = false;
    after(Duration.ofSeconds(1));
    heartbeat.tick();
    assertThat(lease.calls).containsExactly("gateway", "idle");
  }

  @Test
  void closingLeavesTheLeaseToExpire() {
    duty.set(true);
    heartbeat.tick();
    heartbeat.close();
    assertThat(lease.calls).containsExactly("gateway");
  }
}
