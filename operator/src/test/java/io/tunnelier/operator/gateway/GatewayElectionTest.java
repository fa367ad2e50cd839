package io.tunnelier.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GatewayElectionTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration FAILOVER = Duration.ofSeconds(30);

  private static NodeReadiness ready(String name) {
    return new NodeReadiness(name, true);
  }

  private static NodeReadiness notReady(String name) {
    return new NodeReadiness(name, false);
  }

  private static NodeReadiness heartbeatLost(String name) {
    return new NodeReadiness(name, true, "has not renewed its heartbeat Lease for 3.4s");
  }

  /** An agent entry reporting PeerReachable=False since {@code secondsAgo}, in {@code role}. */
  private static NodeStatus down(String node, NodeRole role, long secondsAgo) {
    NodeStatus s = new NodeStatus();
    s.setName(node);
    s.setRole(role);
    s.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("LinkUp")
                .withStatus("True")
                .withLastTransitionTime(NOW.minusSeconds(3600).toString())
                .build(),
            new ConditionBuilder()
                .withType("PeerReachable")
                .withStatus("False")
                .withReason("NoHandshake")
                .withLastTransitionTime(NOW.minusSeconds(secondsAgo).toString())
                .build()));
    return s;
  }

  private static NodeStatus up(String node, NodeRole role) {
    NodeStatus s = new NodeStatus();
    s.setName(node);
    s.setRole(role);
    s.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("PeerReachable")
                .withStatus("True")
                .withLastTransitionTime(NOW.minusSeconds(3600).toString())
                .build()));
    return s;
  }

  /** An agent entry reporting everything up, last written {@code secondsAgo}. */
  private static NodeStatus heard(String node, NodeRole role, long secondsAgo) {
    NodeStatus s = up(node, role);
    s.setLastUpdateTime(NOW.minusSeconds(secondsAgo).toString());
    return s;
  }

  record Case(
      String name,
      List<NodeReadiness> candidates,
      String current,
      List<NodeStatus> agents,
      String active,
      List<String> standby,
      Election.Cause cause,
      Optional<Duration> recheck) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
            new Case(
                "first election picks the first Ready node by name",
                List.of(ready("node-b"), ready("node-a"), notReady("node-0")),
                null,
                List.of(),
                "node-a",
                List.of("node-b"),
                Election.Cause.ELECTED,
                Optional.empty()),
            new Case(
                "a healthy active gateway is kept even when a node sorting first joins",
                List.of(ready("node-a"), ready("node-b")),
                "node-b",
                List.of(up("node-b", NodeRole.GATEWAY)),
                "node-b",
                List.of("node-a"),
                null,
                Optional.empty()),
            new Case(
                "no Ready candidate: no gateway",
                List.of(notReady("node-a")),
                null,
                List.of(),
                null,
                List.of(),
                null,
                Optional.empty()),
            new Case(
                "the only candidate going NotReady loses the gateway",
                List.of(notReady("node-a")),
                "node-a",
                List.of(),
                null,
                List.of(),
                Election.Cause.NO_CANDIDATE,
                Optional.empty()),
            new Case(
                "active node NotReady: moves at once to the next",
                List.of(notReady("node-a"), ready("node-b"), ready("node-c")),
                "node-a",
                List.of(up("node-a", NodeRole.GATEWAY)),
                "node-b",
                List.of("node-c"),
                Election.Cause.NODE_NOT_READY,
                Optional.empty()),
            new Case(
                "active node no longer matches the selector (or is gone)",
                List.of(ready("node-b")),
                "node-a",
                List.of(),
                "node-b",
                List.of(),
                Election.Cause.NO_LONGER_CANDIDATE,
                Optional.empty()),
            new Case(
                "tunnel down for less than failoverAfter: kept, recheck at the deadline",
                List.of(ready("node-a"), ready("node-b")),
                "node-a",
                List.of(down("node-a", NodeRole.GATEWAY, 10)),
                "node-a",
                List.of("node-b"),
                null,
                Optional.of(Duration.ofSeconds(20))),
            new Case(
                "tunnel down for failoverAfter: moves to the next candidate",
                List.of(ready("node-a"), ready("node-b"), ready("node-c")),
                "node-b",
                List.of(down("node-b", NodeRole.GATEWAY, 30)),
                "node-c",
                List.of("node-a", "node-b"),
                Election.Cause.TUNNEL_DOWN,
                Optional.empty()),
            new Case(
                "down reports from a standby do not count (it runs no tunnel)",
                List.of(ready("node-a"), ready("node-b")),
                "node-a",
                List.of(down("node-a", NodeRole.STANDBY, 300)),
                "node-a",
                List.of("node-b"),
                null,
                Optional.empty()),
            new Case(
                "every other candidate is down too: stays",
                List.of(ready("node-a"), ready("node-b")),
                "node-a",
                List.of(down("node-a", NodeRole.GATEWAY, 60), down("node-b", NodeRole.GATEWAY, 90)),
                "node-a",
                List.of("node-b"),
                null,
                Optional.empty()),
            new Case(
                "a gateway whose agent went silent (its last report all up) fails over",
                List.of(ready("node-a"), ready("node-b")),
                "node-a",
                List.of(
                    heard("node-a", NodeRole.GATEWAY, 200), heard("node-b", NodeRole.STANDBY, 20)),
                "node-b",
                List.of("node-a"),
                Election.Cause.TUNNEL_DOWN,
                Optional.empty()),
            new Case(
                "a gateway heard from within three minutes stays",
                List.of(ready("node-a"), ready("node-b")),
                "node-a",
                List.of(
                    heard("node-a", NodeRole.GATEWAY, 170), heard("node-b", NodeRole.STANDBY, 20)),
                "node-a",
                List.of("node-b"),
                null,
                Optional.empty()),
            new Case(
                "a silent standby is not moved to",
                List.of(ready("node-a"), ready("node-b")),
                "node-a",
                List.of(
                    down("node-a", NodeRole.GATEWAY, 60), heard("node-b", NodeRole.STANDBY, 600)),
                "node-a",
                List.of("node-b"),
                null,
                Optional.empty()),
            new Case(
                "the active node's heartbeat stopped: the standby takes over at once",
                List.of(heartbeatLost("node-a"), ready("node-b")),
                "node-a",
                List.of(up("node-a", NodeRole.GATEWAY), up("node-b", NodeRole.STANDBY)),
                "node-b",
                List.of(),
                Election.Cause.HEARTBEAT_LOST,
                Optional.empty()),
            new Case(
                "a standby whose heartbeat stopped is no standby",
                List.of(ready("node-a"), heartbeatLost("node-b"), ready("node-c")),
                "node-a",
                List.of(),
                "node-a",
                List.of("node-c"),
                null,
                Optional.empty()),
            new Case(
                "the heartbeat stopped and no other candidate is usable: no gateway",
                List.of(heartbeatLost("node-a"), notReady("node-b")),
                "node-a",
                List.of(),
                null,
                List.of(),
                Election.Cause.NO_CANDIDATE,
                Optional.empty()),
            new Case(
                "a new election avoids a node known to be down",
                List.of(ready("node-a"), ready("node-b")),
                null,
                List.of(down("node-a", NodeRole.GATEWAY, 60)),
                "node-b",
                List.of("node-a"),
                Election.Cause.ELECTED,
                Optional.empty()))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void elects(Case c) {
    Election e = new GatewayElection(FAILOVER).elect(c.candidates(), c.current(), c.agents(), NOW);
    assertThat(e.active()).isEqualTo(c.active());
    assertThat(e.standby()).isEqualTo(c.standby());
    assertThat(e.change() == null ? null : e.change().cause()).isEqualTo(c.cause());
    assertThat(e.recheckAfter()).isEqualTo(c.recheck());
    if (e.change() != null) {
      assertThat(e.change().from()).isEqualTo(c.current());
      assertThat(e.change().to()).isEqualTo(c.active());
    }
    if (c.cause() == Election.Cause.HEARTBEAT_LOST) {
      assertThat(e.change().message())
          .isEqualTo("the agent on node-a has not renewed its heartbeat Lease for 3.4s");
    }
  }

  @Test
  void aGatewayWhoseAgentRenewsItsLeaseIsNotSilentHowEverOldItsEntry() {
    List<NodeReadiness> candidates = List.of(ready("node-a"), ready("node-b"));
    List<NodeStatus> agents =
        List.of(heard("node-a", NodeRole.GATEWAY, 3600), heard("node-b", NodeRole.STANDBY, 3600));
    Map<String, Instant> renewed =
        Map.of("node-a", NOW.minusSeconds(15), "node-b", NOW.minusSeconds(25));
    Election stays =
        new GatewayElection(FAILOVER).elect(candidates, "node-a", agents, renewed, NOW);
    assertThat(stays.active()).isEqualTo("node-a");
    assertThat(stays.change()).isNull();

    // node-a's Lease stopped 200 s ago, node-b's did not: node-a's agent is silent, it moves.
    Map<String, Instant> aStopped =
        Map.of("node-a", NOW.minusSeconds(200), "node-b", NOW.minusSeconds(25));
    Election moves =
        new GatewayElection(FAILOVER).elect(candidates, "node-a", agents, aStopped, NOW);
    assertThat(moves.active()).isEqualTo("node-b");
    assertThat(moves.change().cause()).isEqualTo(Election.Cause.TUNNEL_DOWN);
    assertThat(moves.change().message()).contains("has not reported since");
  }
}
