package io.tunnelier.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CleanupGateTest {
  private static final Instant DELETED = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static NodeStatus entry(String node, String stateRemoved) {
    NodeStatus s = new NodeStatus();
    s.setName(node);
    if (stateRemoved != null) {
      s.setConditions(
          List.of(
              new ConditionBuilder().withType("StateRemoved").withStatus(stateRemoved).build()));
    }
    return s;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no agent ever reported", List.of(), Set.of("a"), 5, true, false, List.of()),
        Arguments.of(
            "all removed",
            List.of(entry("a", "True"), entry("b", "True")),
            Set.of("a", "b"),
            5,
            true,
            false,
            List.of()),
        Arguments.of(
            "one still has state",
            List.of(entry("b", null), entry("a", "True"), entry("c", "False")),
            Set.of("a", "b", "c"),
            5,
            false,
            false,
            List.of("b", "c")),
        Arguments.of(
            "a node that is gone is not waited for",
            List.of(entry("gone", null), entry("a", "True")),
            Set.of("a"),
            5,
            true,
            false,
            List.of()),
        Arguments.of(
            "timed out: released anyway",
            List.of(entry("a", null)),
            Set.of("a"),
            60,
            true,
            true,
            List.of("a")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(
      String name,
      List<NodeStatus> entries,
      Set<String> nodes,
      int secondsSinceDeletion,
      boolean release,
      boolean timedOut,
      List<String> waiting) {
    CleanupGate.Decision d =
        CleanupGate.decide(
            entries, nodes, DELETED, WAIT, DELETED.plusSeconds(secondsSinceDeletion));
    assertThat(d.release()).isEqualTo(release);
    assertThat(d.timedOut()).isEqualTo(timedOut);
    assertThat(d.waitingFor()).isEqualTo(waiting);
    if (!release) {
      assertThat(d.recheckAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
    }
  }
}
