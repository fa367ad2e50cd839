package io.tunnelier.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.TestTunnels;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.address.Assignment;
import io.tunnelier.operator.gateway.Election;
import io.tunnelier.operator.gateway.NodeReadiness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusAggregatorTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Assignment ASSIGNED =
      new Assignment.Assigned(AddressPair.ofSpecAddress("100.96.0.2/31"));
  private static final Election ON_A =
      new Election("node-a", List.of("node-b"), null, Optional.empty());
  private static final List<NodeReadiness> CANDIDATES =
      List.of(new NodeReadiness("node-a", true), new NodeReadiness("node-b", true));

  private static Condition c(String type, String status, String reason) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("agent says " + reason)
        .withLastTransitionTime("2026-03-01T11:00:00Z")
        .build();
  }

  private static NodeStatus agent(String node, NodeRole role, Condition... conditions) {
    NodeStatus s = new NodeStatus();
    s.setName(node);
    s.setRole(role);
    s.setConditions(List.of(conditions));
    s.setRttMillis(23.4);
    s.setRxBytes(100L);
    s.setTxBytes(200L);
    s.setMtu(1420);
    return s;
  }

  /** The entry as last written {@code secondsAgo}. */
  private static NodeStatus lastHeard(NodeStatus entry, long secondsAgo) {
    entry.setLastUpdateTime(NOW.minusSeconds(secondsAgo).toString());
    return entry;
  }

  private static Tunnel withAgents(NodeStatus... agents) {
    Tunnel t = TestTunnels.egressWireGuard();
    TunnelStatus s = new TunnelStatus();
    s.setNodes(new ArrayList<>(List.of(agents)));
    t.setStatus(s);
    return t;
  }

  record Case(
      String name,
      Tunnel tunnel,
      Assignment assignment,
      List<NodeReadiness> candidates,
      Election election,
      String ready,
      String readyReason,
      String degraded,
      String degradedReason,
      String progressing,
      String progressingReason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    Condition linkUp = c("LinkUp", "True", "Up");
    Condition reachable = c("PeerReachable", "True", "HandshakeCompleted");
    return Stream.of(
            new Case(
                "healthy: the gateway reaches the peer",
                withAgents(agent("node-a", NodeRole.GATEWAY, linkUp, reachable)),
                ASSIGNED,
                CANDIDATES,
                ON_A,
                "True",
                "PeerReachable",
                "False",
                "AsExpected",
                "False",
                "Reconciled"),
            new Case(
                "no agent entry yet",
                withAgents(),
                ASSIGNED,
                CANDIDATES,
                ON_A,
                "False",
                "WaitingForAgents",
                "False",
                "AsExpected",
                "True",
                "WaitingForAgents"),
            new Case(
                "the new gateway's agent still reports itself a standby",
                withAgents(agent("node-a", NodeRole.STANDBY, linkUp)),
                ASSIGNED,
                CANDIDATES,
                ON_A,
                "False",
                "WaitingForAgents",
                "False",
                "AsExpected",
                "True",
                "WaitingForAgents"),
            new Case(
                "link up, peer not probed yet",
                withAgents(agent("node-a", NodeRole.GATEWAY, linkUp)),
                ASSIGNED,
                CANDIDATES,
                ON_A,
                "False",
                "WaitingForAgents",
                "False",
                "AsExpected",
                "True",
                "WaitingForAgents"),
            new Case(
                "no gateway candidate",
                withAgents(),
                ASSIGNED,
                List.of(),
                new Election(null, List.of(), null, Optional.empty()),
                "False",
                "NoGatewayCandidate",
                "True",
                "NoGatewayCandidate",
                "False",
                "NoGatewayCandidate"),
            new Case(
                "address pool exhausted",
                withAgents(),
                new Assignment.PoolExhausted("100.96.0.0/30"),
                CANDIDATES,
                ON_A,
                "False",
                "AddressPoolExhausted",
                "True",
                "AddressPoolExhausted",
                "False",
                "AddressPoolExhausted"),
            new Case(
                "address conflict",
                withAgents(),
                new Assignment.Conflict("100.96.0.2/31", "ns/other"),
                CANDIDATES,
                ON_A,
                "False",
                "AddressConflict",
                "True",
                "AddressConflict",
                "False",
                "AddressConflict"),
            new Case(
                "site-to-site without the peer's public key",
                withAgents(),
                new Assignment.PeerPublicKeyMissing(false),
                CANDIDATES,
                ON_A,
                "False",
                "PeerPublicKeyMissing",
                "True",
                "PeerPublicKeyMissing",
                "False",
                "PeerPublicKeyMissing"),
            new Case(
                "site-to-site: the derived pair is another Tunnel's",
                withAgents(),
                new Assignment.DerivedConflict(
                    AddressPair.ofSpecAddress("100.97.12.35/31"), "ns/other"),
                CANDIDATES,
                ON_A,
                "False",
                "DerivedAddressConflict",
                "True",
                "DerivedAddressConflict",
                "False",
                "DerivedAddressConflict"),
            new Case(
                "site-to-site: this end's keys Secret is being created",
                withAgents(),
                new Assignment.WaitingForKeys(),
                CANDIDATES,
                ON_A,
                "False",
                "WaitingForKeys",
                "False",
                "AsExpected",
                "True",
                "WaitingForKeys"),
            new Case(
                "datapath Kernel without the module",
                withAgents(
                    agent("node-a", NodeRole.GATEWAY, c("LinkUp", "False", "KernelModuleMissing"))),
                ASSIGNED,
                CANDIDATES,
                new Election("node-a", List.of(), null, Optional.empty()),
                "False",
                "KernelModuleMissing",
                "True",
                "KernelModuleMissing",
                "False",
                "KernelModuleMissing"),
            new Case(
                "peer unreachable, failover pending",
                withAgents(
                    agent(
                        "node-a",
                        NodeRole.GATEWAY,
                        linkUp,
                        c("PeerReachable", "False", "NoHandshake"))),
                ASSIGNED,
                CANDIDATES,
                new Election(
                    "node-a", List.of("node-b"), null, Optional.of(Duration.ofSeconds(12))),
                "False",
                "PeerUnreachable",
                "True",
                "PeerUnreachable",
                "True",
                "FailoverPending"),
            new Case(
                "routes not programmed on the gateway",
                withAgents(
                    agent(
                        "node-a",
                        NodeRole.GATEWAY,
                        linkUp,
                        c("RoutesProgrammed", "False", "RuleAddFailed"))),
                ASSIGNED,
                CANDIDATES,
                ON_A,
                "False",
                "RoutesNotProgrammed",
                "True",
                "RoutesNotProgrammed",
                "False",
                "RoutesNotProgrammed"),
            new Case(
                "healthy, but a member node cannot program its routes",
                withAgents(
                    agent("node-a", NodeRole.GATEWAY, linkUp, reachable),
                    agent("node-c", NodeRole.MEMBER, c("RoutesProgrammed", "False", "Oops"))),
                ASSIGNED,
                CANDIDATES,
                ON_A,
                "True",
                "PeerReachable",
                "True",
                "NodeProblem",
                "False",
                "Reconciled"),
            new Case(
                "healthy, and a node without selected pods has nothing to do (NotNeeded)",
                withAgents(
                    agent("node-a", NodeRole.GATEWAY, linkUp, reachable),
                    agent(
                        "node-c",
                        NodeRole.MEMBER,
                        c("LinkUp", "False", "NotNeeded"),
                        c("RoutesProgrammed", "False", "NotNeeded"),
                        c("NATProgrammed", "False", "NotNeeded"))),
                ASSIGNED,
                CANDIDATES,
                ON_A,
                "True",
                "PeerReachable",
                "False",
                "AsExpected",
                "False",
                "Reconciled"),
            new Case(
                "the gateway's agent has been silent for over three minutes: its last report is"
                    + " stale",
                withAgents(lastHeard(agent("node-a", NodeRole.GATEWAY, linkUp, reachable), 200)),
                ASSIGNED,
                CANDIDATES,
                new Election("node-a", List.of(), null, Optional.empty()),
                "False",
                "AgentSilent",
                "True",
                "AgentSilent",
                "False",
                "AgentSilent"),
            new Case(
                "the gateway's agent reported 170 s ago: still Ready",
                withAgents(lastHeard(agent("node-a", NodeRole.GATEWAY, linkUp, reachable), 170)),
                ASSIGNED,
                CANDIDATES,
                ON_A,
                "True",
                "PeerReachable",
                "False",
                "AsExpected",
                "False",
                "Reconciled"),
            new Case(
                "a member's agent went silent: Degraded, still Ready",
                withAgents(
                    lastHeard(agent("node-a", NodeRole.GATEWAY, linkUp, reachable), 10),
                    lastHeard(
                        agent("node-c", NodeRole.MEMBER, c("RoutesProgrammed", "True", "Ok")),
                        600)),
                ASSIGNED,
                CANDIDATES,
                ON_A,
                "True",
                "PeerReachable",
                "True",
                "NodeProblem",
                "False",
                "Reconciled"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void conditions(Case c) {
    TunnelStatus status =
        StatusAggregator.aggregate(
            new StatusInputs(c.tunnel(), c.assignment(), c.candidates(), c.election(), "PUB", NOW));
    assertCondition(status, "Ready", c.ready(), c.readyReason());
    assertCondition(status, "Degraded", c.degraded(), c.degradedReason());
    assertCondition(status, "Progressing", c.progressing(), c.progressingReason());
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getNodes()).as("the agents' entries are never written").isNull();
    status
        .getConditions()
        .forEach(
            cond -> {
              assertThat(cond.getMessage()).isNotBlank();
              assertThat(cond.getObservedGeneration()).isEqualTo(3L);
              assertThat(cond.getLastTransitionTime()).isEqualTo("2026-03-01T12:00:00Z");
            });
  }

  @Test
  void anAgentThatRenewsItsLeaseIsNotSilentHowEverOldItsEntry() {
    // Agents with a heartbeat Lease rewrite an entry only when it changes.
    Tunnel tunnel =
        withAgents(
            lastHeard(
                agent(
                    "node-a",
                    NodeRole.GATEWAY,
                    c("LinkUp", "True", "Up"),
                    c("PeerReachable", "True", "HandshakeCompleted")),
                3600),
            lastHeard(agent("node-c", NodeRole.MEMBER, c("RoutesProgrammed", "True", "Ok")), 3600));
    Map<String, Instant> renewed =
        Map.of("node-a", NOW.minusSeconds(20), "node-c", NOW.minusSeconds(29));
    TunnelStatus live =
        StatusAggregator.aggregate(
            new StatusInputs(
                tunnel, ASSIGNED, CANDIDATES, ON_A, "PUB", NOW, null, Map.of(), renewed));
    assertCondition(live, "Ready", "True", "PeerReachable");
    assertCondition(live, "Degraded", "False", "AsExpected");

    // The Leases stopped too, long enough ago: silent, by the later of the two times.
    Map<String, Instant> stopped =
        Map.of("node-a", NOW.minusSeconds(200), "node-c", NOW.minusSeconds(200));
    TunnelStatus silent =
        StatusAggregator.aggregate(
            new StatusInputs(
                tunnel, ASSIGNED, CANDIDATES, ON_A, "PUB", NOW, null, Map.of(), stopped));
    assertCondition(silent, "Ready", "False", "AgentSilent");
    assertThat(Conditions.find(silent.getConditions(), "Ready").orElseThrow().getMessage())
        .contains("has not reported since " + NOW.minusSeconds(200));
  }

  private static void assertCondition(TunnelStatus s, String type, String status, String reason) {
    Condition cond = Conditions.find(s.getConditions(), type).orElseThrow();
    assertThat(cond.getStatus()).as(type + " status").isEqualTo(status);
    assertThat(cond.getReason()).as(type + " reason").isEqualTo(reason);
  }

  @Test
  void healthyStatusCarriesAddressesKeyGatewayAndTheGatewaysMeasurements() {
    Tunnel tunnel =
        withAgents(
            agent(
                "node-a",
                NodeRole.GATEWAY,
                c("LinkUp", "True", "Up"),
                c("PeerReachable", "True", "Up")));
    TunnelStatus status =
        StatusAggregator.aggregate(
            new StatusInputs(tunnel, ASSIGNED, CANDIDATES, ON_A, "PUB", NOW));
    assertThat(status.getTunnelAddress()).isEqualTo("100.96.0.2/31");
    assertThat(status.getPeerAddress()).isEqualTo("100.96.0.3/31");
    assertThat(status.getPublicKey()).isEqualTo("PUB");
    assertThat(status.getActiveGateway()).isEqualTo("node-a");
    assertThat(status.getStandbyGateways()).containsExactly("node-b");
    assertThat(status.getPeer().getRttMillis()).isEqualTo(23.4);
    assertThat(status.getPeer().getRxBytes()).isEqualTo(100L);
    assertThat(status.getPeer().getTxBytes()).isEqualTo(200L);
    assertThat(status.getMtu()).isEqualTo(1420);
    assertThat(status.getDetour()).as("no direct RTT reported").isNull();
    assertThat(status.getSelectedPods()).isNull();
  }

  @Test
  void withPublicKeyChangesTheKeyAndNothingElse() {
    Map<String, Instant> renewed = Map.of("node-a", NOW.minusSeconds(5));
    StatusInputs before =
        new StatusInputs(withAgents(), ASSIGNED, CANDIDATES, ON_A, null, NOW, 3, Map.of(), renewed);
    StatusInputs after = before.withPublicKey("PUB");
    assertThat(after.publicKey()).isEqualTo("PUB");
    assertThat(after).usingRecursiveComparison().ignoringFields("publicKey").isEqualTo(before);
    assertThat(StatusAggregator.aggregate(after).getPublicKey()).isEqualTo("PUB");
    assertThat(StatusAggregator.aggregate(before).getPublicKey()).isNull();
  }

  @Test
  void onlyTheActiveGatewaysMeasurementsAndThePodCountReachTheStatus() {
    NodeStatus gateway =
        agent(
            "node-a",
            NodeRole.GATEWAY,
            c("LinkUp", "True", "Up"),
            c("PeerReachable", "True", "Up"));
    gateway.setPeerEndpoint("203.0.113.10:51820");
    gateway.setLastHandshakeTime("2026-03-01T11:59:30Z");
    gateway.setLossPercent(1.5);
    gateway.setDirectRttMillis(18.0);
    NodeStatus standby = agent("node-b", NodeRole.STANDBY, c("LinkUp", "True", "Up"));
    standby.setPeerEndpoint("198.51.100.1:51820");
    standby.setDirectRttMillis(99.0);
    TunnelStatus status =
        StatusAggregator.aggregate(
            new StatusInputs(
                withAgents(standby, gateway), ASSIGNED, CANDIDATES, ON_A, "PUB", NOW, 3));
    assertThat(status.getPeer().getEndpoint()).isEqualTo("203.0.113.10:51820");
    assertThat(status.getPeer().getLastHandshakeTime()).isEqualTo("2026-03-01T11:59:30Z");
    assertThat(status.getPeer().getLossPercent()).isEqualTo(1.5);
    assertThat(status.getDetour().getDirectRttMillis()).isEqualTo(18.0);
    assertThat(status.getDetour().getViaTunnelRttMillis()).isEqualTo(23.4);
    assertThat(status.getSelectedPods()).isEqualTo(3);
  }

  @Test
  void unreachableGrePeerSaysRawGreDoesNotPassNatAndWhatToUseInstead() {
    Tunnel gre = TestTunnels.egressGre();
    TunnelStatus nodes = new TunnelStatus();
    nodes.setNodes(
        new ArrayList<>(
            List.of(
                agent(
                    "node-a",
                    NodeRole.GATEWAY,
                    c("LinkUp", "True", "DeviceUp"),
                    c("PeerReachable", "False", "NoReply")))));
    gre.setStatus(nodes);
    Election alone = new Election("node-a", List.of(), null, Optional.empty());

    TunnelStatus status =
        StatusAggregator.aggregate(new StatusInputs(gre, ASSIGNED, CANDIDATES, alone, null, NOW));

    Condition ready = Conditions.find(status.getConditions(), "Ready").orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("PeerUnreachable");
    assertThat(ready.getMessage())
        .contains("gateway node-a reports PeerReachable=False (NoReply)")
        .contains("Raw GRE (IP protocol 47) does not pass most NAT routers")
        .contains("use encapsulation GREoverUDP or WireGuard");
    assertThat(Conditions.find(status.getConditions(), "Degraded").orElseThrow().getMessage())
        .isEqualTo(ready.getMessage());

    Tunnel wireGuard = withAgents(nodes.getNodes().get(0));
    String wireGuardMessage =
        Conditions.find(
                StatusAggregator.aggregate(
                        new StatusInputs(wireGuard, ASSIGNED, CANDIDATES, alone, "PUB", NOW))
                    .getConditions(),
                "Ready")
            .orElseThrow()
            .getMessage();
    assertThat(wireGuardMessage).as("WireGuard passes NAT: no GRE hint").doesNotContain("GRE");
  }

  @Test
  void noCandidateMessageTellsWhichLabelToSet() {
    TunnelStatus status =
        StatusAggregator.aggregate(
            new StatusInputs(
                withAgents(),
                ASSIGNED,
                List.of(),
                new Election(null, List.of(), null, Optional.empty()),
                null,
                NOW));
    assertThat(Conditions.find(status.getConditions(), "Ready").orElseThrow().getMessage())
        .contains("kubectl label node <node> tunnelier.io/gateway=true");
  }

  @Test
  void lastTransitionTimeIsKeptWhileTheStatusDoesNotChange() {
    Tunnel tunnel = withAgents();
    TunnelStatus first =
        StatusAggregator.aggregate(new StatusInputs(tunnel, ASSIGNED, CANDIDATES, ON_A, null, NOW));
    tunnel.getStatus().setConditions(first.getConditions());
    // Later, still waiting, but for another reason: the time of the transition stays.
    Tunnel later = withAgents(agent("node-a", NodeRole.GATEWAY, c("LinkUp", "True", "Up")));
    later.getStatus().setConditions(first.getConditions());
    TunnelStatus second =
        StatusAggregator.aggregate(
            new StatusInputs(later, ASSIGNED, CANDIDATES, ON_A, null, NOW.plusSeconds(60)));
    assertThat(
            Conditions.find(second.getConditions(), "Ready").orElseThrow().getLastTransitionTime())
        .isEqualTo("2026-03-01T12:00:00Z");
    // Ready flips: a new transition time.
    Tunnel ready =
        withAgents(
            agent(
                "node-a",
                NodeRole.GATEWAY,
                c("LinkUp", "True", "Up"),
                c("PeerReachable", "True", "Up")));
    ready.getStatus().setConditions(second.getConditions());
    TunnelStatus third =
        StatusAggregator.aggregate(
            new StatusInputs(ready, ASSIGNED, CANDIDATES, ON_A, null, NOW.plusSeconds(120)));
    assertThat(
            Conditions.find(third.getConditions(), "Ready").orElseThrow().getLastTransitionTime())
        .isEqualTo("2026-03-01T12:02:00Z");
    assertThat(
            Conditions.find(third.getConditions(), "Degraded")
                .orElseThrow()
                .getLastTransitionTime())
        .isEqualTo("2026-03-01T12:00:00Z");
  }

  @Test
  void deletingSaysWhichAgentsAreAwaitedAndKeepsTheRest() {
    Tunnel tunnel = withAgents();
    tunnel.getStatus().setTunnelAddress("100.96.0.2/31");
    tunnel.getStatus().setActiveGateway("node-a");
    TunnelStatus status = StatusAggregator.deleting(tunnel, List.of("node-a", "node-b"), NOW);
    Condition ready = Conditions.find(status.getConditions(), "Ready").orElseThrow();
    assertThat(ready.getReason()).isEqualTo("Deleting");
    assertThat(ready.getMessage()).contains("node-a, node-b");
    assertThat(status.getTunnelAddress()).isEqualTo("100.96.0.2/31");
    assertThat(status.getActiveGateway()).isEqualTo("node-a");
    assertThat(status.getNodes()).isNull();
  }

  @Test
  void statusComparisonIgnoresTheAgentsEntries() {
    Tunnel a = withAgents(agent("node-a", NodeRole.GATEWAY));
    TunnelStatus desired = StatusComparison.operatorPart(a.getStatus());
    assertThat(StatusComparison.differs(a.getStatus(), desired)).isFalse();
    desired.setActiveGateway("node-b");
    assertThat(StatusComparison.differs(a.getStatus(), desired)).isTrue();
  }

  private static String readyMessage(Tunnel tunnel, Assignment assignment) {
    TunnelStatus status =
        StatusAggregator.aggregate(
            new StatusInputs(tunnel, assignment, CANDIDATES, ON_A, "PUB", NOW));
    assertThat(status.getTunnelAddress()).as("no addresses").isNull();
    assertThat(status.getPeerAddress()).as("no addresses").isNull();
    return Conditions.find(status.getConditions(), "Ready").orElseThrow().getMessage();
  }

  @Test
  void aMissingPeerKeySaysWhichKeyGoesWhere() {
    Tunnel tunnel = TestTunnels.siteToSite();
    assertThat(readyMessage(tunnel, new Assignment.PeerPublicKeyMissing(false)))
        .contains("spec.peer.publicKey is empty")
        .contains("put the other cluster's Tunnel's status.publicKey into spec.peer.publicKey")
        .contains("kubectl -n net get tunnel to-berlin -o jsonpath='{.status.publicKey}'");
    assertThat(readyMessage(tunnel, new Assignment.PeerPublicKeyMissing(true)))
        .contains("spec.peer.publicKey holds this Tunnel's own public key")
        .contains("put the other cluster's Tunnel's status.publicKey into spec.peer.publicKey");
  }

  @Test
  void aDerivedConflictNamesTheOtherTunnelAndTheWayOut() {
    assertThat(
            readyMessage(
                TestTunnels.siteToSite(),
                new Assignment.DerivedConflict(
                    AddressPair.ofSpecAddress("100.97.12.35/31"), "ns/other")))
        .contains("100.97.12.35/31 (this end) and 100.97.12.34/31 (the peer)")
        .contains("Tunnel ns/other")
        .contains("set spec.address on both sides");
  }

  @Test
  void aRefusedTunnelLosesItsGatewayKeepsItsAddressesAndSaysWhy() {
    Tunnel tunnel = TestTunnels.egressGre();
    TunnelStatus before = new TunnelStatus();
    before.setActiveGateway("node-a");
    before.setStandbyGateways(List.of("node-b"));
    before.setTunnelAddress("100.96.0.2/31");
    before.setPeerAddress("100.96.0.3/31");
    before.setPeer(new io.tunnelier.api.v1alpha1.PeerStatus());
    tunnel.setStatus(before);
    TunnelStatus refused =
        StatusAggregator.refused(
            tunnel, TunnelConditions.GRE_KEY_CONFLICT, "set another greKey", Instant.EPOCH);
    assertThat(refused.getActiveGateway()).as("no agent programs it").isNull();
    assertThat(refused.getStandbyGateways()).isNull();
    assertThat(refused.getPeer()).as("measured through the gateway it no longer has").isNull();
    assertThat(refused.getTunnelAddress()).isEqualTo("100.96.0.2/31");
    assertThat(refused.getPeerAddress()).isEqualTo("100.96.0.3/31");
    assertThat(refused.getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Ready", "False", "GreKeyConflict"),
            org.assertj.core.groups.Tuple.tuple("Degraded", "True", "GreKeyConflict"),
            org.assertj.core.groups.Tuple.tuple("Progressing", "False", "GreKeyConflict"));
    assertThat(TunnelEvents.transitions(before, refused))
        .containsExactly(
            new TunnelEvents.Event(TunnelEvents.WARNING, "GreKeyConflict", "set another greKey"));
  }
}
