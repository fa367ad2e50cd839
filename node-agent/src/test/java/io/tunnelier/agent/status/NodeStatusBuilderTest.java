package io.tunnelier.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.agent.apply.ApplyResult;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.kernel.KernelState;
import io.tunnelier.agent.kernel.Link;
import io.tunnelier.agent.plan.PlanFixtures;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeStatusBuilderTest {
  final TunnelPlan plan = PlanFixtures.egressGatewayPlans().get(0);
  final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  ApplyResult result(boolean linkUp, String ipError) {
    Set<Link> links =
        linkUp
            ? Set.of(
                new Link(
                    plan.device().name(),
                    io.tunnelier.agent.kernel.LinkKind.TUNNEL,
                    1476,
                    true,
                    null,
                    null))
            : Set.of();
    return ApplyResult.unchanged(
        new KernelState(links, Set.of(), Set.of(), Set.of(), Set.of()), ipError);
  }

  static String status(NodeStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(Condition::getStatus)
        .findFirst()
        .orElse("absent");
  }

  @Test
  void healthyGateway() {
    NodeStatus s =
        NodeStatusBuilder.build(
            "node-a",
            plan,
            result(true, null),
            Optional.of(new DatapathStats(1, 100, 2, 200, Map.of(), null, null)),
            Optional.of(1476),
            PeerMeasurement.rtt(OptionalDouble.of(12.345)),
            null,
            t0);
    assertThat(s.getRole()).isEqualTo(NodeRole.GATEWAY);
    assertThat(status(s, "LinkUp")).isEqualTo("True");
    assertThat(status(s, "RoutesProgrammed")).isEqualTo("True");
    assertThat(status(s, "NATProgrammed")).isEqualTo("True");
    assertThat(status(s, "PeerReachable")).isEqualTo("True");
    assertThat(s.getRttMillis()).isEqualTo(12.35);
    assertThat(s.getRxBytes()).isEqualTo(100);
    assertThat(s.getMtu()).isEqualTo(1476);
    // The chosen datapath and why: the fixture's node has no tunnel modules.
    assertThat(s.getConditions().get(0).getMessage())
        .isEqualTo(plan.device().name() + " is up (Userspace: the kernel has no gre module)");
  }

  @Test
  void ipv6EgressDestinationsAreReportedAsNotRouted() {
    // The same device name as the fixture's, so result(true, null) has it up.
    TunnelPlan dualStack = PlanFixtures.egressGatewayPlansTo("0.0.0.0/0", "::/0").get(0);
    NodeStatus s =
        NodeStatusBuilder.build(
            "node-a",
            dualStack,
            result(true, null),
            Optional.empty(),
            Optional.empty(),
            PeerMeasurement.rtt(OptionalDouble.empty()),
            null,
            t0);
    assertThat(status(s, "RoutesProgrammed")).isEqualTo("True");
    assertThat(
            s.getConditions().stream()
                .filter(c -> c.getType().equals("RoutesProgrammed"))
                .findFirst()
                .orElseThrow()
                .getMessage())
        .endsWith(
            " and its rules are in place; not routed: ::/0 (status.tunnelAddress6 is not set yet;"
                + " the kill switch drops the selected pods' IPv6)");
    assertThat(dualStack.routing().destinations())
        .extracting(Object::toString)
        .containsExactly("0.0.0.0/0");
  }

  @Test
  void transitionTimeKeptWhileUnchangedAndMovedOnChange() {
    NodeStatus first =
        NodeStatusBuilder.build(
            "node-a",
            plan,
            result(true, null),
            Optional.empty(),
            Optional.empty(),
            PeerMeasurement.rtt(OptionalDouble.of(1)),
            null,
            t0);
    NodeStatus same =
        NodeStatusBuilder.build(
            "node-a",
            plan,
            result(true, null),
            Optional.empty(),
            Optional.empty(),
            PeerMeasurement.rtt(OptionalDouble.of(2)),
            first,
            t0.plusSeconds(60));
    NodeStatus down =
        NodeStatusBuilder.build(
            "node-a",
            plan,
            result(false, "boom"),
            Optional.empty(),
            Optional.empty(),
            PeerMeasurement.rtt(OptionalDouble.empty()),
            same,
            t0.plusSeconds(120));
    assertThat(same.getConditions().get(0).getLastTransitionTime()).isEqualTo(t0.toString());
    assertThat(NodeStatusBuilder.sameExceptCounters(first, same)).isTrue();
    assertThat(down.getConditions().get(0).getLastTransitionTime())
        .isEqualTo(t0.plusSeconds(120).toString());
    assertThat(status(down, "RoutesProgrammed")).isEqualTo("False");
    assertThat(NodeStatusBuilder.sameExceptCounters(same, down)).isFalse();
  }

  @Test
  void aSwitchOfVpsIsNewsEvenWhenNoConditionChanged() {
    NodeStatus before = new NodeStatus();
    before.setName("node-a");
    before.setActivePeer("primary");
    before.setPeerPaths(List.of(path("primary", true, 1.0), path("backup", true, 2.0)));
    NodeStatus slower = new NodeStatus();
    slower.setName("node-a");
    slower.setActivePeer("primary");
    slower.setPeerPaths(List.of(path("primary", true, 9.0), path("backup", true, 7.0)));
    NodeStatus switched = new NodeStatus();
    switched.setName("node-a");
    switched.setActivePeer("backup");
    switched.setPeerPaths(List.of(path("primary", false, null), path("backup", true, 2.0)));

    assertThat(NodeStatusBuilder.sameExceptCounters(before, slower)).isTrue();
    assertThat(NodeStatusBuilder.sameExceptCounters(before, switched)).isFalse();
  }

  @Test
  void aReadingMovesWithItsRttBeyondJitterLossAHandshakeTheEndpointOrAFirstCountNeverWithBytes() {
    NodeStatus shown = new NodeStatus();
    shown.setName("node-a");
    shown.setRttMillis(20.0);
    shown.setDirectRttMillis(18.0);
    shown.setLossPercent(0.0);
    shown.setPeerEndpoint("203.0.113.10:51820");
    shown.setLastHandshakeTime("2026-12-07T03:00:00Z");
    shown.setRxBytes(100L);
    shown.setTxBytes(200L);
    shown.setPeerPaths(List.of(path("primary", true, 20.0), path("backup", true, 30.0)));

    NodeStatus bytes = copy(shown);
    bytes.setRxBytes(9_000L);
    bytes.setTxBytes(9_900L);
    bytes.setRttMillis(23.9); // 19.5%: jitter
    bytes.setPeerPaths(List.of(path("primary", true, 23.0), path("backup", true, 35.9)));
    assertThat(NodeStatusBuilder.readingsMoved(shown, bytes)).isFalse();

    NodeStatus slower = copy(shown);
    slower.setRttMillis(25.0);
    assertThat(NodeStatusBuilder.readingsMoved(shown, slower)).isTrue();
    NodeStatus lossy = copy(shown);
    lossy.setLossPercent(33.3);
    assertThat(NodeStatusBuilder.readingsMoved(shown, lossy)).isTrue();
    NodeStatus handshake = copy(shown);
    handshake.setLastHandshakeTime("2026-12-07T03:02:00Z");
    assertThat(NodeStatusBuilder.readingsMoved(shown, handshake)).isTrue();
    NodeStatus roamed = copy(shown);
    roamed.setPeerEndpoint("203.0.113.11:51820");
    assertThat(NodeStatusBuilder.readingsMoved(shown, roamed)).isTrue();
    NodeStatus direct = copy(shown);
    direct.setDirectRttMillis(40.0);
    assertThat(NodeStatusBuilder.readingsMoved(shown, direct)).isTrue();
    NodeStatus backupSlower = copy(shown);
    backupSlower.setPeerPaths(List.of(path("primary", true, 20.0), path("backup", true, 60.0)));
    assertThat(NodeStatusBuilder.readingsMoved(shown, backupSlower)).isTrue();
    NodeStatus noCounts = copy(shown);
    noCounts.setRxBytes(null);
    assertThat(NodeStatusBuilder.readingsMoved(noCounts, shown)).as("a first count").isTrue();
  }

  @Test
  void aFirstRttHandshakeOrByteCountIsAFirstReadingAMovedOneIsNot() {
    NodeStatus empty = new NodeStatus();
    empty.setName("node-a");
    empty.setRxBytes(0L); // a datapath that has carried nothing yet counts zero
    empty.setTxBytes(0L);

    NodeStatus rtt = copy(empty);
    rtt.setRttMillis(20.0);
    assertThat(NodeStatusBuilder.firstReadings(empty, rtt)).as("the first RTT").isTrue();
    NodeStatus handshake = copy(empty);
    handshake.setLastHandshakeTime("2026-12-07T03:00:00Z");
    assertThat(NodeStatusBuilder.firstReadings(empty, handshake))
        .as("the first handshake")
        .isTrue();
    NodeStatus sent = copy(empty);
    sent.setTxBytes(148L);
    assertThat(NodeStatusBuilder.firstReadings(empty, sent)).as("the first bytes, from 0").isTrue();
    assertThat(NodeStatusBuilder.readingsMoved(empty, sent)).as("and a moved reading").isTrue();
    NodeStatus direct = copy(empty);
    direct.setDirectRttMillis(0.4);
    assertThat(NodeStatusBuilder.firstReadings(empty, direct)).as("the first direct RTT").isTrue();

    NodeStatus slower = copy(rtt);
    slower.setRttMillis(40.0);
    slower.setTxBytes(148L);
    NodeStatus more = copy(slower);
    more.setTxBytes(9_000L);
    assertThat(NodeStatusBuilder.firstReadings(slower, more)).as("bytes that grew").isFalse();
    NodeStatus slowerStill = copy(slower);
    slowerStill.setRttMillis(80.0);
    assertThat(NodeStatusBuilder.firstReadings(slower, slowerStill)).as("a moved RTT").isFalse();
  }

  private static NodeStatus copy(NodeStatus s) {
    return io.fabric8.kubernetes.client.utils.Serialization.clone(s);
  }

  private static io.tunnelier.api.v1alpha1.PeerPathStatus path(
      String name, boolean healthy, Double rtt) {
    io.tunnelier.api.v1alpha1.PeerPathStatus p = new io.tunnelier.api.v1alpha1.PeerPathStatus();
    p.setName(name);
    p.setHealthy(healthy);
    p.setRttMillis(rtt);
    return p;
  }

  @Test
  void aMissingKernelModuleIsReportedWithTheReasonTheOperatorShows() {
    TunnelPlan forced = PlanFixtures.kernelForcedWithoutModule().get(0);
    NodeStatus s =
        NodeStatusBuilder.build(
            "node-a",
            forced,
            result(false, null),
            Optional.empty(),
            Optional.empty(),
            PeerMeasurement.rtt(OptionalDouble.empty()),
            null,
            t0);
    Condition linkUp = s.getConditions().get(0);
    assertThat(linkUp.getType()).isEqualTo("LinkUp");
    assertThat(linkUp.getStatus()).isEqualTo("False");
    assertThat(linkUp.getReason()).isEqualTo("KernelModuleMissing");
    assertThat(linkUp.getMessage()).contains("no gre module");
  }

  @Test
  void theApplyPatchCarriesOnlyThisNodesEntry() {
    NodeStatus s = NodeStatusBuilder.removed("node-a", null, t0);
    String patch =
        io.fabric8.kubernetes.client.utils.Serialization.asJson(
            KubernetesStatusWriter.applyObject("scraping", "egress", s));
    assertThat(patch)
        .contains("\"kind\":\"Tunnel\"", "\"nodes\":[{\"name\":\"node-a\"", "StateRemoved")
        .doesNotContain("activeGateway", "tunnelAddress", "\"spec\"", "conditions\":[]");
  }

  @Test
  void siteToSiteNodesReportTheirMssClampAndAcceptsAsProgrammed() {
    // Site-to-site translates no addresses and has no kill switch, but its table still carries
    // what this node needs (MSS clamping, forward accepts, the identity SNAT that keeps pod IPs):
    // NATProgrammed=False would keep the Tunnel from Ready.
    for (boolean gateway : List.of(true, false)) {
      TunnelPlan s2s = PlanFixtures.siteToSitePlans(gateway).get(0);
      String link = gateway ? s2s.device().name() : s2s.vxlan().name();
      ApplyResult up =
          ApplyResult.unchanged(
              new KernelState(
                  Set.of(
                      new Link(
                          link, io.tunnelier.agent.kernel.LinkKind.TUNNEL, 1472, true, null, null)),
                  Set.of(),
                  Set.of(),
                  Set.of(),
                  Set.of()),
              null);
      NodeStatus s =
          NodeStatusBuilder.build(
              gateway ? "node-a" : "node-b",
              s2s,
              up,
              Optional.empty(),
              Optional.empty(),
              PeerMeasurement.rtt(OptionalDouble.of(1)),
              null,
              t0);
      Condition nat =
          s.getConditions().stream()
              .filter(c -> c.getType().equals("NATProgrammed"))
              .findFirst()
              .orElseThrow();
      assertThat(nat.getStatus()).as("gateway=" + gateway).isEqualTo("True");
      assertThat(nat.getReason()).isEqualTo("Programmed");
      assertThat(nat.getMessage())
          .contains(
              "TCP MSS clamped to",
              "source addresses kept out of "
                  + (gateway
                      ? s2s.device().name() + ", " + s2s.vxlan().name()
                      : s2s.vxlan().name()))
          .doesNotContain("SNAT");
      assertThat(status(s, "LinkUp")).isEqualTo("True");
      assertThat(status(s, "RoutesProgrammed")).isEqualTo("True");
    }
  }

  @Test
  void anEgressNodeWithoutSelectedPodsNeedsNoTable() {
    TunnelPlan nothing =
        new TunnelPlan(
            plan.id(),
            io.tunnelier.agent.plan.Role.MEMBER,
            io.tunnelier.api.v1alpha1.TunnelType.EGRESS,
            null,
            null,
            null,
            null,
            0,
            null,
            null);
    NodeStatus s =
        NodeStatusBuilder.build(
            "node-c",
            nothing,
            result(false, null),
            Optional.empty(),
            Optional.empty(),
            PeerMeasurement.NONE,
            null,
            t0);
    // Every condition False with NotNeeded: the operator reads that as "nothing to do here".
    assertThat(s.getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("LinkUp", "False", "NotNeeded"),
            org.assertj.core.groups.Tuple.tuple("RoutesProgrammed", "False", "NotNeeded"),
            org.assertj.core.groups.Tuple.tuple("NATProgrammed", "False", "NotNeeded"));
  }

  /** A member whose only selected pod has no IP yet: nothing is wrong, nothing to route yet. */
  @Test
  void aNodeGuardingAPodWithoutIpReportsNoProblem() {
    TunnelPlan guardOnly =
        PlanFixtures.egressOnNodeC(
                List.of(
                    new io.tunnelier.agent.plan.PodInfo(
                        "scraping", "new", Map.of("app", "scraper"), null, "node-c", false, false)))
            .get(0);
    assertThat(guardOnly.killSwitch().guard()).isNotNull();
    NodeStatus s =
        NodeStatusBuilder.build(
            "node-c",
            guardOnly,
            result(false, null),
            Optional.empty(),
            Optional.empty(),
            PeerMeasurement.NONE,
            null,
            t0);
    Condition routes =
        s.getConditions().stream()
            .filter(c -> c.getType().equals("RoutesProgrammed"))
            .findFirst()
            .orElseThrow();
    assertThat(routes.getReason()).isEqualTo("NotNeeded");
    Condition link =
        s.getConditions().stream()
            .filter(c -> c.getType().equals("LinkUp"))
            .findFirst()
            .orElseThrow();
    assertThat(link.getReason()).isEqualTo("NotNeeded");
    assertThat(link.getMessage()).contains("has no IP yet");
    assertThat(status(s, "NATProgrammed")).isEqualTo("True");
  }
}
