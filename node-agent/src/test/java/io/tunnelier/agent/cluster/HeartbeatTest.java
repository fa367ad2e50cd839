package io.tunnelier.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
  /** A Lease that records what was done to it, and fails on demand like the API server. */
  static final class FakeLease implements HeartbeatLease {
    final List<String> calls = new ArrayList<>();
    boolean exists;
    boolean failing;

    @Override
    public void renew() {
      if (failing) {
        throw new IllegalStateException("503 the API server is unavailable");
      }
      calls.add("renew");
      exists = true;
    }

    @Override
    public void release() {
      if (failing) {
        throw new IllegalStateException("503 the API server is unavailable");
      }
      calls.add("release");
      exists = false;
    }
  }

  private final FakeLease lease = new FakeLease();
  private final AtomicBoolean duty = new AtomicBoolean();
  private final Heartbeat heartbeat = Heartbeat.manual(lease, duty::get);

  @Test
  void aNodeWithoutGatewayDutyKeepsNoLease() {
    heartbeat.tick();
    heartbeat.tick();
    assertThat(lease.calls).isEmpty();
  }

  @Test
  void renewsEveryTickWhileOnDutyAndReleasesOnceWhenTheDutyEnds() {
    duty.set(true);
    heartbeat.tick();
    heartbeat.tick();
    duty.set(false);
    heartbeat.tick();
    heartbeat.tick();
    assertThat(lease.calls).containsExactly("renew", "renew", "release");
    assertThat(lease.exists).isFalse();
  }

  @Test
  void aFailedRenewalIsTriedAgainAndNeverThrows() {
    duty.set(true);
    lease.failing = true;
    heartbeat.tick();
    heartbeat.tick();
    lease.failing = false;
    heartbeat.tick();
    assertThat(lease.calls).containsExactly("renew");
  }

  @Test
  void aFailedReleaseIsTriedAgain() {
    duty.set(true);
    heartbeat.tick();
    duty.set(false);
    lease.failing = true;
    heartbeat.tick();
    lease.failing = false;
    heartbeat.tick();
    assertThat(lease.calls).containsExactly("renew", "release");
  }

  @Test
  void closingLeavesTheLeaseToExpire() {
    duty.set(true);
    heartbeat.tick();
    heartbeat.close();
    assertThat(lease.exists).isTrue();
    assertThat(lease.calls).containsExactly("renew");
  }
}
