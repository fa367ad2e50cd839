package io.tunnelier.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.v1alpha1.PeerPathStatus;
import io.tunnelier.api.v1alpha1.PeerSwitch;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.gateway.Election;
import java.util.ArrayList;
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

  /** A healthy status with backups, whose last peer switch is {@code last}. */
  private static TunnelStatus withSwitch(PeerSwitch last) {
    TunnelStatus s = status("True", "PeerReachable", "False", "AsExpected");
    List<PeerPathStatus> paths = new ArrayList<>();
    for (String name : List.of("primary", "vps-b", "vps-c")) {
      PeerPathStatus p = new PeerPathStatus();
      p.setName(name);
      paths.add(p);
    }
    s.setPeerPaths(paths);
    s.setLastPeerSwitch(last);
    return s;
  }

  private static PeerSwitch at(String time, String from, String to) {
    return new PeerSwitch(time, from, to, "3 of 3 probes lost");
  }

  static Stream<Arguments> peerSwitches() {
    PeerSwitch first = at("2026-03-01T12:00:00Z", "primary", "vps-b");
    return Stream.of(
        Arguments.of(
            "failover to a backup",
            withSwitch(null),
            withSwitch(first),
            List.of("Warning/PeerFailover/switched from primary to vps-b: 3 of 3 probes lost")),
        Arguments.of(
            "the same switch again: no Event", withSwitch(first), withSwitch(first), List.of()),
        Arguments.of(
            "an older switch (a former gateway's): no Event",
            withSwitch(first),
            withSwitch(at("2026-02-01T00:00:00Z", "vps-b", "primary")),
            List.of()),
        Arguments.of(
            "down to the next backup",
            withSwitch(first),
            withSwitch(at("2026-03-01T12:05:00Z", "vps-b", "vps-c")),
            List.of("Warning/PeerFailover/switched from vps-b to vps-c: 3 of 3 probes lost")),
        Arguments.of(
            "failback",
            withSwitch(first),
            withSwitch(
                new PeerSwitch("2026-03-01T12:10:00+00:00", "vps-b", "primary", "primary healthy")),
            List.of("Normal/PeerFailover/switched from vps-b to primary: primary healthy")),
        Arguments.of(
            "none left",
            withSwitch(first),
            withSwitch(at("2026-03-01T12:20:00Z", "vps-b", "")),
            List.of(
                "Warning/PeerFailover/no healthy peer: 3 of 3 probes lost; the kill switch holds"
                    + " the selected pods' traffic (it left through vps-b before)")),
        Arguments.of(
            "one back after none",
            withSwitch(at("2026-03-01T12:20:00Z", "vps-b", "")),
            withSwitch(new PeerSwitch("2026-03-01T12:25:00Z", "", "vps-c", "vps-c healthy")),
            List.of("Normal/PeerFailover/switched from no healthy peer to vps-c: vps-c healthy")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("peerSwitches")
  void eventPerNewPeerSwitch(
      String name, TunnelStatus before, TunnelStatus after, List<String> expected) {
    assertThat(
            TunnelEvents.transitions(before, after).stream()
                .map(e -> e.type() + "/" + e.reason() + "/" + e.message())
                .toList())
        .isEqualTo(expected);
  }
}
