package io.tunnelier.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentHeartbeatsTest {
  private static final long S = 1_000_000_000L;
  private final AgentHeartbeats heartbeats = new AgentHeartbeats(Duration.ofSeconds(3));

  @Test
  void aHeartbeatUnchangedForLongerThanTheTimeoutIsLost() {
    heartbeats.observe("node-a", "1", 0);
    heartbeats.observe("node-b", "7", 0);
    heartbeats.observe("node-b", "8", 2 * S);
    // The same resourceVersion again (an informer resync) is no renewal.
    heartbeats.observe("node-a", "1", 2 * S);

    assertThat(heartbeats.lost(3 * S)).isEmpty();
    assertThat(heartbeats.lost(3 * S + 1)).containsOnlyKeys("node-a");
    assertThat(heartbeats.lost(4 * S).get("node-a")).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void everyHeartbeatStoppingAtOnceIsTheOperatorsViewAndCountsForNothing() {
    heartbeats.observe("node-a", "1", 0);
    heartbeats.observe("node-b", "1", 0);
    assertThat(heartbeats.lost(10 * S)).isEmpty();
    // One comes back: the other one is lost now.
    heartbeats.observe("node-b", "2", 10 * S);
    assertThat(heartbeats.lost(10 * S)).containsOnlyKeys("node-a");
  }

  @Test
  void aReleasedLeaseIsForgottenNotLost() {
    heartbeats.observe("node-a", "1", 0);
    heartbeats.observe("node-b", "1", 0);
    heartbeats.observe("node-b", "2", 5 * S);
    heartbeats.forget("node-a");
    assertThat(heartbeats.lost(5 * S)).isEmpty();
  }

  @Test
  void changesAreReportedOnceEachWay() {
    heartbeats.observe("node-a", "1", 0);
    heartbeats.observe("node-b", "1", 0);
    assertThat(heartbeats.changedSinceLastLook(1 * S)).isFalse();
    heartbeats.observe("node-b", "2", 3 * S);
    assertThat(heartbeats.changedSinceLastLook(4 * S)).isTrue(); // node-a lost
    assertThat(heartbeats.changedSinceLastLook(4 * S)).isFalse();
    heartbeats.observe("node-a", "2", 5 * S);
    assertThat(heartbeats.changedSinceLastLook(5 * S)).isTrue(); // node-a back
  }

  @Test
  void judgeMarksOnlyTheLostCandidatesAndSaysForHowLong() {
    heartbeats.observe("node-a", "1", 0);
    heartbeats.observe("node-b", "1", 0);
    heartbeats.observe("node-b", "2", 4 * S);
    List<NodeReadiness> judged =
        heartbeats.judge(
            List.of(
                new NodeReadiness("node-a", true),
                new NodeReadiness("node-b", true),
                new NodeReadiness("node-c", true)),
            (long) (4.25 * S));
    assertThat(judged.get(0).usable()).isFalse();
    assertThat(judged.get(0).heartbeatLost())
        .isEqualTo(
            "has not renewed its heartbeat Lease for 4.3s (gatewayHeartbeatTimeout 3s): the node,"
                + " its agent or its connection to the API server is down");
    assertThat(judged.get(1).usable()).isTrue();
    // No Lease at all (no gateway duty, or heartbeats off): judged by the Node alone.
    assertThat(judged.get(2).usable()).isTrue();
  }
}
