package io.tunnelier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiagnosisTest {
  @Test
  void aHealthyTunnelHasNoCause() {
    Snapshot s = Fixtures.snapshot(Fixtures.healthy());
    List<CheckResult> results = Diagnosis.run(s);

    assertThat(results).allSatisfy(r -> assertThat(r.severity()).isEqualTo(Severity.OK));
    assertThat(results)
        .extracting(CheckResult::check)
        .containsExactly(
            "operator",
            "gateway candidates",
            "agents",
            "datapath",
            "link",
            "routes",
            "nftables",
            "kill switch",
            "MTU",
            "handshake",
            "peer",
            "VPS reachability",
            "peer config");
    assertThat(Diagnosis.cause(s, results)).isEmpty();
    assertThat(DiagnoseReport.render(s, results)).endsWith("No problem found.\n");
  }

  @Test
  void aSelectorThatMatchesNoNodeIsTheCause() {
    Tunnel t = Fixtures.healthy();
    t.getSpec().getGateway().setNodeSelector(Map.of("tunnelier.io/gateway", "nyc"));
    t.getStatus().setActiveGateway(null);
    t.getStatus().setNodes(null);
    t.getStatus().setConditions(List.of(condition("Ready", "False", "NoGatewayCandidate")));
    Snapshot s = Fixtures.snapshot(t);

    Optional<CheckResult> cause = Diagnosis.cause(s, Diagnosis.run(s));

    assertThat(cause).isPresent();
    assertThat(cause.get().check()).isEqualTo("gateway candidates");
    assertThat(cause.get().what())
        .isEqualTo(
            "no node matches spec.gateway.nodeSelector {tunnelier.io/gateway=nyc} (2 nodes in"
                + " the cluster)");
    assertThat(cause.get().todo()).contains("kubectl label node <node> tunnelier.io/gateway=nyc");
  }

  @Test
  void matchingNodesThatAreNotReadyAreTheCause() {
    Tunnel t = Fixtures.healthy();
    t.getStatus().setActiveGateway(null);
    Snapshot s =
        Fixtures.snapshot(t)
            .withNodes(
                List.of(
                    Fixtures.node("node-a", false, Map.of("tunnelier.io/gateway", "true")),
                    Fixtures.node("node-b", true, Map.of())));

    CheckResult gateway = Diagnosis.gateway(s);

    assertThat(gateway.severity()).isEqualTo(Severity.FAIL);
    assertThat(gateway.what()).contains("node-a match").contains("none is Ready");
  }

  @Test
  void aNewTunnelsPeerStillProbingIsAWarningNotAFailure() {
    Tunnel t = Fixtures.healthy();
    NodeStatus gw = t.getStatus().getNodes().get(0);
    gw.setRttMillis(null);
    gw.getConditions().set(3, condition("PeerReachable", "Unknown", "Probing"));

    CheckResult peer =
        Diagnosis.run(Fixtures.snapshot(t)).stream()
            .filter(r -> r.check().equals("peer"))
            .findFirst()
            .orElseThrow();

    assertThat(peer.what()).contains("no answer from 100.96.0.3 yet (a new tunnel)");
    assertThat(peer.severity()).isEqualTo(Severity.WARN);
  }

  @Test
  void aVpsThatNeverAnswersIsNamedByTheHandshake() {
    Tunnel t = Fixtures.healthy();
    NodeStatus gw = t.getStatus().getNodes().get(0);
    gw.setLastHandshakeTime(null);
    gw.setRttMillis(null);
    gw.getConditions().set(3, condition("PeerReachable", "False", "NoReply"));
    t.getStatus().setConditions(List.of(condition("Ready", "False", "PeerUnreachable")));
    Snapshot s = Fixtures.snapshot(t);

    List<CheckResult> results = Diagnosis.run(s);
    CheckResult cause = Diagnosis.cause(s, results).orElseThrow();

    assertThat(cause.check()).isEqualTo("handshake");
    assertThat(cause.what())
        .isEqualTo(
            "no WireGuard handshake with 203.0.113.10:51820 has completed on gateway node-a,"
                + " although 203.0.113.10 answers directly (18.20ms): the host is up, WireGuard on"
                + " that port does not answer");
    assertThat(cause.todo()).contains("vps-config egress-nyc").contains("UDP 51820");
    assertThat(results)
        .filteredOn(r -> r.check().equals("peer"))
        .singleElement()
        .satisfies(r -> assertThat(r.severity()).isEqualTo(Severity.FAIL));
    assertThat(results)
        .filteredOn(r -> r.check().equals("kill switch"))
        .singleElement()
        .satisfies(r -> assertThat(r.what()).contains("dropped, not leaked"));
    assertThat(DiagnoseReport.render(s, results))
        .contains("Cause: handshake: no WireGuard handshake with 203.0.113.10:51820");
  }

  @Test
  void anOldHandshakeIsAnExpiredSession() {
    Tunnel t = Fixtures.healthy();
    t.getStatus().getNodes().get(0).setLastHandshakeTime("2026-11-22T02:50:00Z");

    List<CheckResult> handshake = Diagnosis.handshake(Fixtures.snapshot(t));

    assertThat(handshake)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.severity()).isEqualTo(Severity.FAIL);
              assertThat(r.what()).contains("16m ago");
            });
  }

  @Test
  void greRawThroughNatIsMentionedWhenThePeerDoesNotAnswer() {
    Tunnel t = Fixtures.healthy();
    t.getSpec().setEncapsulation(io.tunnelier.api.v1alpha1.Encapsulation.GRE);
    t.getStatus()
        .getNodes()
        .get(0)
        .getConditions()
        .set(3, condition("PeerReachable", "False", "NoReply"));
    Snapshot s = Fixtures.snapshot(t);

    CheckResult cause = Diagnosis.cause(s, Diagnosis.run(s)).orElseThrow();

    assertThat(cause.check()).isEqualTo("peer");
    assertThat(cause.what()).startsWith("100.96.0.3 does not answer through the tunnel");
    assertThat(cause.todo()).contains("Raw GRE");
  }

  @Test
  void aMissingKernelModuleComesBeforeTheLinkItTakesDown() {
    Tunnel t = Fixtures.healthy();
    t.getSpec().setDatapath(io.tunnelier.api.v1alpha1.DatapathMode.KERNEL);
    t.getStatus()
        .getNodes()
        .get(0)
        .getConditions()
        .set(0, condition("LinkUp", "False", "KernelModuleMissing"));
    Snapshot s = Fixtures.snapshot(t);

    CheckResult cause = Diagnosis.cause(s, Diagnosis.run(s)).orElseThrow();

    assertThat(cause.check()).isEqualTo("datapath");
    assertThat(cause.what()).contains("node-a has no wireguard kernel module");
    assertThat(cause.todo()).contains("datapath: Auto");
  }

  @Test
  void aSilentGatewayAgentIsShownWithItsPod() {
    Tunnel t = Fixtures.healthy();
    t.getStatus().getNodes().get(0).setLastUpdateTime("2026-11-22T02:56:00Z");
    Snapshot s =
        Fixtures.snapshot(t)
            .withAgentPods(List.of(Fixtures.agentPod("node-a", "Running", "CrashLoopBackOff")));

    CheckResult agents = Diagnosis.agents(s);

    assertThat(agents.severity()).isEqualTo(Severity.FAIL);
    assertThat(agents.what())
        .isEqualTo(
            "node-a: last heard from 10m ago (agent pod tunnelier-node-agent-node-a: Running"
                + " CrashLoopBackOff)");
  }

  @Test
  void anAgentThatRenewsItsLeaseReportsHowEverOldItsEntry() {
    Tunnel t = Fixtures.healthy();
    t.getStatus().getNodes().forEach(e -> e.setLastUpdateTime("2026-11-22T01:00:00Z"));
    java.util.Map<String, java.time.Instant> renewed =
        java.util.Map.of(
            "node-a", Fixtures.NOW.minusSeconds(20), "node-b", Fixtures.NOW.minusSeconds(25));

    CheckResult live = Diagnosis.agents(Fixtures.snapshot(t).withLeaseRenewals(renewed));
    assertThat(live.severity()).isEqualTo(Severity.OK);
    assertThat(live.what()).contains("each renews its heartbeat Lease every 30 s");

    // node-a's Lease stopped too: silent since its last renewal.
    CheckResult silent =
        Diagnosis.agents(
            Fixtures.snapshot(t)
                .withLeaseRenewals(
                    java.util.Map.of(
                        "node-a",
                        Fixtures.NOW.minusSeconds(240),
                        "node-b",
                        Fixtures.NOW.minusSeconds(25))));
    assertThat(silent.severity()).isEqualTo(Severity.FAIL);
    assertThat(silent.what()).startsWith("node-a: last heard from 4m ago");

    // The Leases unreadable: an old entry is not taken for silence, the operator judges it.
    CheckResult unknown = Diagnosis.agents(Fixtures.snapshot(t).withLeaseRenewals(null));
    assertThat(unknown.severity()).isEqualTo(Severity.OK);
    assertThat(unknown.what()).contains("could not be read");
  }

  @Test
  void aMemberWithoutAgentPodIsAWarning() {
    Tunnel t = Fixtures.healthy();
    t.getStatus().setNodes(List.of(t.getStatus().getNodes().get(0)));
    Snapshot s = Fixtures.snapshot(t);

    CheckResult agents = Diagnosis.agents(s);

    assertThat(agents.severity()).isEqualTo(Severity.WARN);
    assertThat(agents.what()).startsWith("node-b: no status.nodes[] entry (no agent pod on it");
  }

  @Test
  void nftablesRefusedOnAMemberFailsAndTheKillSwitchSaysWhatItMeans() {
    Tunnel t = Fixtures.healthy();
    t.getStatus()
        .getNodes()
        .get(1)
        .getConditions()
        .set(2, condition("NATProgrammed", "False", "ApplyFailed"));
    Snapshot s = Fixtures.snapshot(t);

    List<CheckResult> results = Diagnosis.run(s);

    assertThat(Diagnosis.cause(s, results).orElseThrow().check()).isEqualTo("nftables");
    assertThat(results)
        .filteredOn(r -> r.check().equals("kill switch"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.severity()).isEqualTo(Severity.FAIL);
              assertThat(r.what()).contains("not in place on node-b");
            });
  }

  @Test
  void notNeededIsNoProblem() {
    Tunnel t = Fixtures.healthy();
    t.getStatus()
        .getNodes()
        .get(1)
        .getConditions()
        .set(1, condition("RoutesProgrammed", "False", "NotNeeded"));
    Snapshot s = Fixtures.snapshot(t);

    assertThat(Diagnosis.cause(s, Diagnosis.run(s))).isEmpty();
  }

  @Test
  void whatCannotBeReadIsSaidAndTheRestIsChecked() {
    Tunnel t = Fixtures.healthy();
    Snapshot s =
        Snapshot.of(t, Fixtures.NOW)
            .withErrors("forbidden (HTTP 403)", "forbidden (HTTP 403)", "forbidden (HTTP 403)");

    List<CheckResult> results = Diagnosis.run(s);

    assertThat(Diagnosis.gateway(s).what())
        .isEqualTo("node-a is the active gateway (Nodes not readable)");
    assertThat(Diagnosis.agents(s).severity()).isEqualTo(Severity.OK);
    assertThat(Diagnosis.peerConfig(s).what())
        .isEqualTo("cannot read Secret egress-nyc-peer-config: forbidden (HTTP 403)");
    assertThat(Diagnosis.cause(s, results)).isEmpty();

    t.getStatus().setActiveGateway(null);
    assertThat(Diagnosis.gateway(s).severity()).isEqualTo(Severity.FAIL);
  }

  @Test
  void killSwitchOffIsAWarning() {
    Tunnel t = Fixtures.healthy();
    t.getSpec().getEgress().setKillSwitch(false);

    assertThat(Diagnosis.killSwitch(Fixtures.snapshot(t)))
        .singleElement()
        .satisfies(r -> assertThat(r.severity()).isEqualTo(Severity.WARN));
  }

  @Test
  void membersHopMtuIsNotTheTunnels() {
    Tunnel t = Fixtures.healthy();
    t.getStatus().getNodes().get(1).setRole(io.tunnelier.api.v1alpha1.NodeRole.MEMBER);
    t.getStatus().getNodes().get(1).setMtu(1450);

    assertThat(Diagnosis.mtu(Fixtures.snapshot(t)).severity()).isEqualTo(Severity.OK);
  }

  @Test
  void nodesDisagreeingOnTheMtuIsAWarning() {
    Tunnel t = Fixtures.healthy();
    t.getStatus().getNodes().get(1).setMtu(1380);

    CheckResult mtu = Diagnosis.mtu(Fixtures.snapshot(t));

    assertThat(mtu.severity()).isEqualTo(Severity.WARN);
    assertThat(mtu.what()).contains("node-a 1420, node-b 1380");
  }

  @Test
  void noStatusMeansTheOperatorHasNotSeenIt() {
    Tunnel t = Fixtures.healthy();
    t.setStatus(null);
    Snapshot s = Fixtures.snapshot(t);

    assertThat(Diagnosis.cause(s, Diagnosis.run(s)).orElseThrow().check()).isEqualTo("operator");
  }

  @Test
  void warningEventsAreListedOncePerReason() {
    Snapshot s =
        Fixtures.snapshot(Fixtures.healthy())
            .withEvents(
                List.of(
                    event(
                        "GatewayFailover",
                        "from node-b to node-a: NotReady",
                        "2026-11-22T03:00:00Z"),
                    event(
                        "GatewayFailover", "from node-a to node-b: gone", "2026-11-22T02:00:00Z")));

    assertThat(Diagnosis.events(s))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.what())
                    .isEqualTo("GatewayFailover 6m ago: from node-b to node-a: NotReady"));
  }

  @Test
  void withoutFailuresAReadyFalseTunnelGetsTheOperatorsReasonAsCause() {
    Tunnel t = Fixtures.healthy();
    t.getStatus().setConditions(List.of(condition("Ready", "False", "AddressPoolExhausted")));
    Snapshot s = Fixtures.snapshot(t);

    CheckResult cause = Diagnosis.cause(s, Diagnosis.run(s)).orElseThrow();

    assertThat(cause.check()).isEqualTo("Ready");
    assertThat(cause.what()).startsWith("AddressPoolExhausted: ");
    assertThat(cause.todo()).contains("addressPool");
  }

  private static io.fabric8.kubernetes.api.model.Event event(
      String reason, String message, String time) {
    return new EventBuilder()
        .withNewMetadata()
        .withName("e-" + time)
        .endMetadata()
        .withType("Warning")
        .withReason(reason)
        .withMessage(message)
        .withLastTimestamp(time)
        .build();
  }

  private static Condition condition(String type, String status, String reason) {
    Condition c = new Condition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(type + " is " + status + " (" + reason + ")");
    return c;
  }
}
