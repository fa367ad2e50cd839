package io.tunnelier.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.agent.apply.Reconciler;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.datapath.FakeDatapath;
import io.tunnelier.agent.kernel.FakeIpRoute;
import io.tunnelier.agent.kernel.KernelState;
import io.tunnelier.agent.kernel.Route;
import io.tunnelier.agent.metrics.AgentMetrics;
import io.tunnelier.agent.nft.FakeNftables;
import io.tunnelier.agent.plan.PlanFixtures;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.agent.status.PeerProbe;
import io.tunnelier.agent.tunnel.OpenDatapaths;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One pass of the loop against the fakes: plans in, kernel state, status entries and metrics out.
 */
class AgentLoopTest {
  final FakeIpRoute ip = new FakeIpRoute();
  final FakeNftables nft = new FakeNftables();
  final List<Map.Entry<String, NodeStatus>> reported = new ArrayList<>();
  final AtomicReference<Plans> plans = new AtomicReference<>();
  final AgentMetrics metrics = new AgentMetrics();
  final List<TunnelPlan> gateway = PlanFixtures.egressGatewayPlans();
  final String key = gateway.get(0).key();

  /** What the fake probe answers: an RTT, or empty for silence. */
  final AtomicReference<OptionalDouble> answer = new AtomicReference<>(OptionalDouble.of(1.5));

  /** The loops' clock: fixed unless a test moves it. */
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

  final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };

  AgentLoop loop() {
    OpenDatapaths datapaths =
        new OpenDatapaths(
            (kind, config) -> {
              ip.createDevice(config.deviceName(), config.mtu());
              return new FakeDatapath(
                  config,
                  new DatapathStats(3, 300, 4, 400, Map.of(), null, null),
                  () -> {
                    try {
                      ip.deleteLink(config.deviceName());
                    } catch (java.io.IOException ignored) {
                      // gone
                    }
                  });
            });
    return new AgentLoop(
        "node-a",
        underlay -> plans.get(),
        ip,
        new Reconciler(ip, nft, datapaths),
        datapaths,
        (k, entry) -> reported.add(Map.entry(k, entry)),
        peer -> answer.get(),
        metrics,
        Duration.ofSeconds(30),
        clock);
  }

  static String condition(NodeStatus s, String type) {
    return find(s, type).map(Condition::getStatus).orElse("-");
  }

  static String reason(NodeStatus s, String type) {
    return find(s, type).map(Condition::getReason).orElse("-");
  }

  private static java.util.Optional<Condition> find(NodeStatus s, String type) {
    return s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  @Test
  void programsReportsAndOnDeletionRemovesThenReportsStateRemoved() {
    AgentLoop loop = loop();
    plans.set(new Plans(gateway, Set.of()));
    assertThat(loop.reconcileOnce()).hasValueSatisfying(r -> assertThat(r.ok()).isTrue());
    NodeStatus entry = reported.get(reported.size() - 1).getValue();
    assertThat(condition(entry, "LinkUp")).isEqualTo("True");
    assertThat(condition(entry, "PeerReachable")).isEqualTo("True");
    assertThat(entry.getTxBytes()).isEqualTo(400);
    assertThat(metrics.scrape())
        .contains(
            "tunnelier_agent_reconciles_total{result=\"ok\"} 1.0",
            "tunnelier_agent_tunnel_tx_bytes_total{tunnel=\"" + key + "\"} 400.0");

    // The Tunnel is being deleted: no plan, its key in deleting.
    plans.set(new Plans(List.of(), Set.of(key)));
    loop.reconcileOnce();
    assertThat(ip.read()).isEqualTo(KernelState.EMPTY);
    assertThat(nft.exists()).isFalse();
    NodeStatus removed = reported.get(reported.size() - 1).getValue();
    assertThat(condition(removed, "StateRemoved")).isEqualTo("True");
    assertThat(metrics.scrape()).doesNotContain("tunnel=\"" + key + "\"");
    // Reported again on the next pass (the sink drops repeats), so a lost write is retried.
    int before = reported.size();
    loop.reconcileOnce();
    assertThat(reported).hasSize(before + 1);
  }

  @Test
  void aNewTunnelsSilentPeerIsProbingForThreeProbesThenUnreachable() {
    answer.set(OptionalDouble.empty());
    AgentLoop loop = loop();
    plans.set(new Plans(gateway, Set.of()));
    List<String> seen = new ArrayList<>();
    for (int pass = 0; pass < 4; pass++) {
      loop.reconcileOnce();
      NodeStatus entry = reported.get(reported.size() - 1).getValue();
      seen.add(condition(entry, "PeerReachable") + "/" + reason(entry, "PeerReachable"));
    }
    assertThat(seen)
        .containsExactly("Unknown/Probing", "Unknown/Probing", "False/NoReply", "False/NoReply");

    // Once it has answered, silence is unreachable at once: the peer was there.
    answer.set(OptionalDouble.of(2.0));
    AgentLoop another = loop();
    another.reconcileOnce();
    answer.set(OptionalDouble.empty());
    another.reconcileOnce();
    NodeStatus entry = reported.get(reported.size() - 1).getValue();
    assertThat(reason(entry, "PeerReachable")).isEqualTo("NoReply");
  }

  @Test
  void aTunnelTheOperatorHasNotPlacedIsProgrammedButNotReported() {
    AgentLoop loop = loop();
    plans.set(new Plans(gateway, Set.of(), null, Set.of(key)));
    loop.reconcileOnce();
    assertThat(ip.read().objectCount()).as("programmed from the first pass").isPositive();
    assertThat(reported).as("no entry before the roles are known").isEmpty();

    plans.set(new Plans(gateway, Set.of()));
    loop.reconcileOnce();
    assertThat(reported).extracting(Map.Entry::getKey).containsExactly(key);
  }

  @Test
  void aNodeThatStopsMatchingLosesEverythingOfTheTunnel() {
    AgentLoop loop = loop();
    plans.set(new Plans(gateway, Set.of()));
    loop.reconcileOnce();
    assertThat(ip.read().objectCount()).isPositive();
    plans.set(new Plans(List.of(), Set.of()));
    loop.reconcileOnce();
    assertThat(ip.read()).isEqualTo(KernelState.EMPTY);
    assertThat(nft.exists()).isFalse();
  }

  @Test
  void aSourceThatCannotPlanChangesNothing() {
    AgentLoop loop = loop();
    plans.set(new Plans(gateway, Set.of()));
    loop.reconcileOnce();
    KernelState before = ip.read();
    AgentLoop failing =
        new AgentLoop(
            "node-a",
            underlay -> {
              throw new IllegalStateException("API server unreachable");
            },
            ip,
            new Reconciler(ip, nft, new OpenDatapaths((k, c) -> null)),
            new OpenDatapaths((k, c) -> null),
            (k, e) -> {},
            PeerProbe.NONE,
            metrics,
            Duration.ofHours(1),
            Clock.systemUTC());
    assertThat(failing.reconcileOnce()).isEmpty();
    assertThat(ip.read()).isEqualTo(before);
  }

  @Test
  void aPassThatWantsWhatTheLastAppliedStandsOnItsReadUntilTheResyncPeriod() {
    AgentLoop loop = loop();
    plans.set(new Plans(gateway, Set.of()));
    loop.reconcileOnce();
    Route route = ip.read().routes().iterator().next();
    ip.deleteRouteBehindOurBack(route);
    int reads = ip.reads();
    int reports = reported.size();

    now.set(now.get().plusSeconds(29));
    assertThat(loop.reconcileOnce()).hasValueSatisfying(r -> assertThat(r.ok()).isTrue());
    assertThat(ip.reads()).as("no kernel read within the resync period").isEqualTo(reads);
    assertThat(ip.read().routes()).doesNotContain(route);
    assertThat(reported).as("the status is still reported").hasSize(reports + 1);
    assertThat(condition(reported.get(reported.size() - 1).getValue(), "LinkUp")).isEqualTo("True");
    assertThat(metrics.scrape()).contains("tunnelier_agent_kernel_reads_skipped_total 1.0");

    now.set(now.get().plusSeconds(1));
    loop.reconcileOnce();
    assertThat(ip.read().routes()).as("put back at the resync period").contains(route);
  }

  @Test
  void aChangedPlanAndSighupReadTheKernelAtOnce() {
    AgentLoop loop = loop();
    plans.set(new Plans(gateway, Set.of()));
    loop.reconcileOnce();
    Route route = ip.read().routes().iterator().next();
    ip.deleteRouteBehindOurBack(route);

    loop.triggerFullPass();
    loop.reconcileOnce();
    assertThat(ip.read().routes()).as("SIGHUP's pass reads the kernel").contains(route);

    ip.deleteRouteBehindOurBack(route);
    plans.set(new Plans(PlanFixtures.egressGatewayPlansTo("198.51.100.0/24"), Set.of()));
    loop.reconcileOnce();
    assertThat(ip.read().routes())
        .as("a pass that wants something new reads the kernel")
        .anyMatch(r -> r.dst().toString().equals("198.51.100.0/24"));
  }
}
