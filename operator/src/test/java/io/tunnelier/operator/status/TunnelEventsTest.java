package io.tunnelier.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.gateway.Election;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TunnelEventsTest {
  private static TunnelStatus status(
      String ready, String readyReason, String degraded, String degradedReason) {
    TunnelStatus s = new TunnelStatus();
    s.setConditions(
        List.of(
            Conditions.of("Ready", "True".equals(ready), readyReason, "m"),
            Conditions.of("Degraded", "True".equals(degraded), degradedReason, "m"),
            Conditions.of("Progressing", false, "Reconciled", "m")));
    return s;
  }

  static Stream<Arguments> transitions() {
    TunnelStatus waiting = status("False", "WaitingForAgents", "False", "AsExpected");
    TunnelStatus healthy = status("True", "PeerReachable", "False", "AsExpected");
    TunnelStatus unreachable = status("False", "PeerUnreachable", "True", "PeerUnreachable");
    TunnelStatus nodeProblem = status("True", "PeerReachable", "True", "NodeProblem");
    return Stream.of(
        Arguments.of("first status", null, waiting, List.of("Normal/WaitingForAgents")),
        Arguments.of("nothing changed", healthy, healthy, List.of()),
        Arguments.of("becomes ready", waiting, healthy, List.of("Normal/PeerReachable")),
        Arguments.of(
            "breaks: one warning, not two for the same reason",
            healthy,
            unreachable,
            List.of("Warning/PeerUnreachable")),
        Arguments.of("a member node breaks", healthy, nodeProblem, List.of("Warning/NodeProblem")),
        Arguments.of("recovers", unreachable, healthy, List.of("Normal/PeerReachable")),
        Arguments.of(
            "site-to-site: the keys are on their way",
            null,
            status("False", "WaitingForKeys", "False", "AsExpected"),
            List.of("Normal/WaitingForKeys")),
        Arguments.of(
            "site-to-site: the user must act",
            null,
            status("False", "PeerPublicKeyMissing", "True", "PeerPublicKeyMissing"),
            List.of("Warning/PeerPublicKeyMissing")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transitions")
  void eventsOnTransitions(
      String name, TunnelStatus before, TunnelStatus after, List<String> expected) {
    assertThat(
            TunnelEvents.transitions(before, after).stream()
                .map(e -> e.type() + "/" + e.reason())
                .toList())
        .isEqualTo(expected);
  }

  static Stream<Arguments> gatewayChanges() {
    return Stream.of(
        Arguments.of(Election.Cause.ELECTED, null, "node-a", "Normal/GatewayElected"),
        Arguments.of(Election.Cause.TUNNEL_DOWN, "node-a", "node-b", "Warning/GatewayFailover"),
        Arguments.of(Election.Cause.NODE_NOT_READY, "node-a", "node-b", "Warning/GatewayFailover"),
        Arguments.of(Election.Cause.NO_CANDIDATE, "node-a", null, "Warning/GatewayLost"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gatewayChanges")
  void eventPerGatewayChange(Election.Cause cause, String from, String to, String expected) {
    Election e =
        new Election(to, List.of(), new Election.Change(from, to, cause, "why"), Optional.empty());
    TunnelEvents.Event event = TunnelEvents.gatewayChange(e).orElseThrow();
    assertThat(event.type() + "/" + event.reason()).isEqualTo(expected);
  }
}
