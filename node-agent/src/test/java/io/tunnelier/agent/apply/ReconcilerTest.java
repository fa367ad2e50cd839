package io.tunnelier.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.kernel.FakeConntrack;
import io.tunnelier.agent.kernel.FakeIpRoute;
import io.tunnelier.agent.kernel.FdbEntry;
import io.tunnelier.agent.kernel.IpCommand;
import io.tunnelier.agent.kernel.KernelDiff;
import io.tunnelier.agent.kernel.KernelState;
import io.tunnelier.agent.kernel.Route;
import io.tunnelier.agent.kernel.Rule;
import io.tunnelier.agent.nft.FakeNftables;
import io.tunnelier.agent.plan.DesiredState;
import io.tunnelier.agent.plan.DesiredStateFunction;
import io.tunnelier.agent.plan.PlanFixtures;
import io.tunnelier.agent.plan.PodInfo;
import io.tunnelier.agent.tunnel.DatapathOpener;
import io.tunnelier.agent.tunnel.OpenDatapaths;
import io.tunnelier.api.net.Cidr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The apply loop against the in-memory kernel: idempotence, repair, restart, failure, cleanup. */
class ReconcilerTest {
  final FakeIpRoute ip = new FakeIpRoute();
  final FakeNftables nft = new FakeNftables();
  final List<String> opened = new ArrayList<>();
  final List<String> closed = new ArrayList<>();
  final DatapathOpener opener =
      (kind, config) -> {
        ip.createDevice(config.deviceName(), config.mtu());
        opened.add(config.deviceName());
        return new Datapath() {
          @Override
          public String deviceName() {
            return config.deviceName();
          }

          @Override
          public int mtu() {
            return config.mtu();
          }

          @Override
          public DatapathStats stats() {
            return new DatapathStats(0, 0, 0, 0, Map.of(), null, null);
          }

          @Override
          public void close() {
            closed.add(config.deviceName());
            try {
              ip.deleteLink(config.deviceName());
            } catch (IOException ignored) {
              // already gone
            }
          }
        };
      };
  final DesiredState gateway = DesiredStateFunction.compute(PlanFixtures.egressGatewayPlans());

  /** Live matches desired: nothing left to do, and exactly as many objects (mtu 0 = any). */
  void assertConverged() {
    KernelState live = ip.read();
    assertThat(KernelDiff.commands(gateway.kernel(), live))
        .as(live.describe().toString())
        .isEmpty();
    assertThat(live.objectCount()).isEqualTo(gateway.kernel().objectCount());
  }

  Reconciler reconciler() {
    return new Reconciler(ip, nft, new OpenDatapaths(opener));
  }

  @Test
  void firstApplyCreatesEverythingAndTheSecondChangesNothing() {
    Reconciler r = reconciler();
    ApplyResult first = r.apply(gateway);
    assertThat(first.ok()).as(first.toString()).isTrue();
    assertThat(first.changed()).isTrue();
    assertConverged();
    assertThat(nft.rules("forward")).isEqualTo(gateway.nft().chains().get(0).rules());

    int transactions = nft.transactions().size();
    ApplyResult second = r.apply(gateway);
    assertThat(second.ipCommands()).isEmpty();
    assertThat(second.nftApplied()).isFalse();
    assertThat(nft.transactions()).hasSize(transactions);
    assertThat(opened).hasSize(1);
  }

  @Test
  void aPassReadsTheKernelAgainOnlyAfterItChangedIt() {
    Reconciler r = reconciler();
    int before = ip.reads();
    ApplyResult first = r.apply(gateway);
    // Before the datapaths, after them (a device was opened), after the ip changes.
    assertThat(ip.reads() - before).isEqualTo(3);
    assertThat(first.live()).isEqualTo(ip.read());

    before = ip.reads();
    ApplyResult quiet = r.apply(gateway);
    assertThat(ip.reads() - before).isEqualTo(1);
    assertThat(quiet.live()).isEqualTo(ip.read());

    Route victim =
        gateway.kernel().routes().stream().filter(x -> x.dev() != null).findFirst().orElseThrow();
    ip.deleteRouteBehindOurBack(victim);
    before = ip.reads();
    ApplyResult repair = r.apply(gateway);
    assertThat(ip.reads() - before).isEqualTo(2);
    // The status reports the kernel after the repair, not the read that found the route missing.
    assertThat(repair.live().routes()).contains(victim);
  }

  @Test
  void aRouteDeletedBehindOurBackComesBackAndNothingElseIsTouched() {
    Reconciler r = reconciler();
    r.apply(gateway);
    Route victim =
        gateway.kernel().routes().stream().filter(x -> x.dev() != null).findFirst().orElseThrow();
    ip.deleteRouteBehindOurBack(victim);

    ApplyResult repair = r.apply(gateway);
    assertThat(repair.ipCommands()).containsExactly(new IpCommand.ReplaceRoute(victim).batchLine());
    assertConverged();
  }

  @Test
  void anEditedNftablesTableIsRewritten() {
    Reconciler r = reconciler();
    r.apply(gateway);
    nft.flushChainBehindOurBack("forward");
    ApplyResult repair = r.apply(gateway);
    assertThat(repair.nftApplied()).isTrue();
    assertThat(nft.rules("forward")).isEqualTo(gateway.nft().chains().get(0).rules());
  }

  @Test
  void aRestartedAgentAdoptsWhatItFindsWithoutChangingIt() {
    reconciler().apply(gateway);
    int transactions = nft.transactions().size();
    int applies = ip.applies();

    // A new process: no memory of the last apply. The kernel device survived (kernel datapath).
    ApplyResult afterRestart = reconciler().apply(gateway);
    assertThat(afterRestart.ipCommands()).isEmpty();
    assertThat(afterRestart.nftApplied()).isFalse();
    assertThat(nft.transactions()).hasSize(transactions);
    assertThat(ip.applies()).isEqualTo(applies);
  }

  @Test
  void aBatchThatFailsHalfWayIsFinishedByTheNextSync() {
    Reconciler r = reconciler();
    ip.failOn(c -> c instanceof IpCommand.AddRule);
    ApplyResult failed = r.apply(gateway);
    assertThat(failed.ipError()).isNull();
    assertThat(failed.ipErrorFor("scraping/egress")).contains("injected");
    assertThat(ip.read().rules()).isEmpty();

    ip.failOn(c -> false);
    ApplyResult next = r.apply(gateway);
    assertThat(next.ok()).isTrue();
    // What the failed batch did not reach: the rules, and the forwarding database after them.
    assertThat(next.ipCommands())
        .allMatch(l -> l.startsWith("rule add") || l.startsWith("fdb replace"));
    assertConverged();
  }

  @Test
  void oneTunnelsRefusedCommandDoesNotStopAnotherTunnelsProgramming() {
    List<io.tunnelier.agent.plan.TunnelPlan> plans = new ArrayList<>();
    plans.addAll(PlanFixtures.egressGatewayPlans());
    plans.addAll(PlanFixtures.siteToSitePlans(true));
    DesiredState both = DesiredStateFunction.compute(plans);
    String egress = plans.get(0).key();
    String siteToSite = plans.get(1).key();
    int egressTable = plans.get(0).id().table();
    int egressReplies = plans.get(0).id().replyTable();
    // The kernel refuses the egress tunnel's first route (as it would a clashing object).
    ip.failOn(c -> c instanceof IpCommand.ReplaceRoute r && r.route().table() == egressTable);

    ApplyResult failed = reconciler().apply(both);

    assertThat(failed.ok()).isFalse();
    assertThat(failed.ipErrorFor(egress)).contains("injected");
    assertThat(failed.ipErrorFor(siteToSite)).isNull();
    KernelState live = failed.live();
    // Site-to-site got its routes and rules; egress got no rule into its half-built table.
    assertThat(live.rules()).isNotEmpty().allMatch(r -> r.table() != egressTable);
    assertThat(live.rules())
        .containsAll(
            both.kernel().rules().stream()
                .filter(r -> r.table() != egressTable && r.table() != egressReplies)
                .toList());
    assertThat(live.routes()).noneMatch(r -> r.table() == egressTable);

    ip.failOn(c -> false);
    ApplyResult next = reconciler().apply(both);
    assertThat(next.ok()).isTrue();
    assertThat(KernelDiff.commands(both.kernel(), ip.read())).isEmpty();
  }

  List<io.tunnelier.agent.plan.TunnelPlan> twoTunnels() {
    List<io.tunnelier.agent.plan.TunnelPlan> plans = new ArrayList<>();
    plans.addAll(PlanFixtures.egressGatewayPlans());
    plans.addAll(PlanFixtures.siteToSitePlans(true));
    return plans;
  }

  @Test
  void aPassSendsEveryTunnelsBatchInOneApply() {
    DesiredState both = DesiredStateFunction.compute(twoTunnels());
    ApplyResult all = reconciler().apply(both);
    assertThat(all.ok()).isTrue();
    assertThat(ip.applies()).as("both tunnels in one process").isEqualTo(1);
    assertThat(KernelDiff.commands(both.kernel(), ip.read())).isEmpty();
  }

  @Test
  void aRefusedCommandStopsItsTunnelAndTheBatchesAfterItAreSentAgain() {
    List<io.tunnelier.agent.plan.TunnelPlan> plans = twoTunnels();
    DesiredState both = DesiredStateFunction.compute(plans);
    List<IpBatches.Batch> batches =
        IpBatches.split(KernelDiff.commands(both.kernel(), ip.read()), plans);
    assertThat(batches).extracting(IpBatches.Batch::owner).hasSize(2).doesNotHaveDuplicates();
    int firstTable = tableOf(plans, batches.get(0).owner());
    int secondTable = tableOf(plans, batches.get(1).owner());
    ip.failOn(c -> c instanceof IpCommand.ReplaceRoute r && r.route().table() == firstTable);

    ApplyResult failed = reconciler().apply(both);

    assertThat(failed.ipErrors()).containsOnlyKeys(batches.get(0).owner());
    assertThat(failed.ipErrorFor(batches.get(0).owner()))
        .contains("injected", "route replace", "table " + firstTable);
    assertThat(ip.applies()).as("the whole pass, then what followed the refusal").isEqualTo(2);
    assertThat(ip.read().rules())
        .isNotEmpty()
        .allMatch(r -> r.table() != firstTable)
        .containsAll(both.kernel().rules().stream().filter(r -> r.table() == secondTable).toList());
  }

  @Test
  void aFailureThatSaysNotWhereFailsEveryTunnelItCarried() throws IOException {
    List<io.tunnelier.agent.plan.TunnelPlan> plans = twoTunnels();
    DesiredState both = DesiredStateFunction.compute(plans);
    io.tunnelier.agent.kernel.IpRoute timesOut =
        new io.tunnelier.agent.kernel.IpRoute() {
          @Override
          public KernelState read() {
            return ip.read();
          }

          @Override
          public void apply(List<IpCommand> commands) throws IOException {
            throw new IOException("ip -batch - timed out after 30 s");
          }

          @Override
          public java.util.Optional<io.tunnelier.agent.kernel.Underlay> underlay() {
            return ip.underlay();
          }

          @Override
          public java.util.Optional<Integer> linkMtu(String name) {
            return ip.linkMtu(name);
          }
        };
    ApplyResult failed =
        new Reconciler(timesOut, new FakeNftables(), new OpenDatapaths(opener)).apply(both);
    assertThat(failed.ipErrors())
        .containsOnlyKeys(plans.get(0).key(), plans.get(1).key())
        .containsValue("ip -batch - timed out after 30 s");
  }

  private static int tableOf(List<io.tunnelier.agent.plan.TunnelPlan> plans, String key) {
    return plans.stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow().id().table();
  }

  @Test
  void aForwardingDatabaseEntryDeletedBehindOurBackComesBack() {
    Reconciler r = reconciler();
    r.apply(gateway);
    FdbEntry victim = gateway.kernel().fdb().iterator().next();
    ip.deleteFdbBehindOurBack(victim);

    ApplyResult repair = r.apply(gateway);
    assertThat(repair.ipCommands())
        .containsExactly(new IpCommand.ReplaceFdbEntry(victim).batchLine());
    assertConverged();
  }

  @Test
  void aFailedTransactionChangesNothingAndIsRetriedWhole() {
    Reconciler r = reconciler();
    nft.failNextTransaction();
    ApplyResult failed = r.apply(gateway);
    assertThat(failed.nftError()).contains("injected");
    assertThat(nft.exists()).isFalse();
    ApplyResult next = r.apply(gateway);
    assertThat(next.nftApplied()).isTrue();
    assertThat(nft.rules("postrouting"))
        .isEqualTo(
            gateway.nft().chains().stream()
                .filter(c -> c.name().equals("postrouting"))
                .findFirst()
                .orElseThrow()
                .rules());
  }

  @Test
  void leftoversInOurRangesGoAndForeignObjectsStay() {
    Rule stale = new Rule(10100, Cidr.parseIpv4("100.64.9.9/32"), null, 0x540001);
    Rule foreignPriority = new Rule(200, Cidr.parseIpv4("100.64.9.9/32"), null, 0x540001);
    ip.addForeign(stale);
    ip.addForeign(foreignPriority);
    List<Rule> before = ip.allRules();

    reconciler().apply(gateway);
    assertThat(ip.allRules()).doesNotContain(stale).contains(foreignPriority);
    assertThat(ip.allLinks()).contains("eth0", "cni0");
    assertThat(before).contains(new Rule(100, null, null, 254));
    assertThat(ip.allRules()).contains(new Rule(100, null, null, 254));
  }

  @Test
  void aRemovedTunnelLeavesNothingAndCleanupRemovesEverything() {
    Reconciler r = reconciler();
    r.apply(gateway);
    ApplyResult removed = r.apply(DesiredState.NOTHING);
    assertThat(removed.ok()).isTrue();
    assertThat(closed).hasSize(1);
    assertThat(ip.read()).isEqualTo(KernelState.EMPTY);
    assertThat(nft.exists()).isFalse();

    r.apply(gateway);
    r.cleanup();
    assertThat(ip.read()).isEqualTo(KernelState.EMPTY);
    assertThat(nft.exists()).isFalse();
    assertThat(ip.allLinks()).containsExactlyInAnyOrder("eth0", "cni0");
  }

  @Test
  void aVanishedTunnelDeviceIsReopened() throws IOException {
    Reconciler r = reconciler();
    r.apply(gateway);
    String dev = opened.get(0);
    ip.deleteLink(dev);
    ApplyResult again = r.apply(gateway);
    assertThat(again.ok()).isTrue();
    assertThat(opened).containsExactly(dev, dev);
    assertConverged();
  }

  @Test
  void theGuardForAPodWithoutIpComesAndGoesAndPodsJoinItAsElements() {
    PodInfo otherNamespace =
        new PodInfo(
            "monitoring", "agent-c", Map.of("app", "agent"), "100.64.3.9", "node-c", false, false);
    PodInfo pending =
        new PodInfo("scraping", "new", Map.of("app", "scraper"), null, "node-c", false, false);
    Reconciler r = reconciler();

    // Bound, no IP yet: the guard, with the pods the agent knows on the node.
    DesiredState guarded =
        DesiredStateFunction.compute(PlanFixtures.egressOnNodeC(List.of(otherNamespace, pending)));
    ApplyResult first = r.apply(guarded);
    assertThat(first.ok()).as(first.toString()).isTrue();
    assertThat(nft.rules("forward")).anyMatch(l -> l.contains("pods without a known IP"));
    assertThat(nft.setElements(DesiredStateFunction.KNOWN_PODS)).containsExactly("100.64.3.9");
    assertThat(ip.read().rules()).isEmpty();

    // Another pod on the node, any namespace: one element more, the table stays as it is.
    PodInfo started =
        new PodInfo("batch", "job-1", Map.of(), "100.64.3.10", "node-c", false, false);
    int transactions = nft.transactions().size();
    ApplyResult joined =
        r.apply(
            DesiredStateFunction.compute(
                PlanFixtures.egressOnNodeC(List.of(otherNamespace, pending, started))));
    assertThat(joined.nftElementsOnly()).isTrue();
    assertThat(nft.transactions().subList(transactions, nft.transactions().size()))
        .containsExactly("add element inet tunnelier known_pods { 100.64.3.10 }\n");
    assertThat(nft.setElements(DesiredStateFunction.KNOWN_PODS))
        .containsExactlyInAnyOrder("100.64.3.9", "100.64.3.10");

    // Its IP known: a selected pod like any other, and the guard is gone.
    PodInfo known =
        new PodInfo(
            "scraping", "new", Map.of("app", "scraper"), "100.64.3.5", "node-c", false, false);
    ApplyResult routed =
        r.apply(
            DesiredStateFunction.compute(
                PlanFixtures.egressOnNodeC(List.of(otherNamespace, known, started))));
    assertThat(routed.ok()).as(routed.toString()).isTrue();
    assertThat(nft.rules("forward")).noneMatch(l -> l.contains("pods without a known IP"));
    assertThat(nft.setElements(DesiredStateFunction.KNOWN_PODS)).isEmpty();
    assertThat(
            nft.setElements(
                "pods_" + io.tunnelier.agent.plan.TunnelId.of("scraping/egress").hash()))
        .containsExactly("100.64.3.5");
    assertThat(ip.read().rules())
        .extracting(Rule::from)
        .containsExactly(Cidr.parseIpv4("100.64.3.5/32"));
  }

  static final PodInfo UNSELECTED =
      new PodInfo("scraping", "new", Map.of("app", "web"), "100.64.3.5", "node-c", false, false);
  static final PodInfo SELECTED =
      new PodInfo(
          "scraping", "new", Map.of("app", "scraper"), "100.64.3.5", "node-c", false, false);

  /** node-c, with its pod 100.64.3.5 tracked in two flows and another pod in one. */
  FakeConntrack trackedOnNodeC() {
    return new FakeConntrack()
        .track("100.64.3.5", "203.0.113.80")
        .track("100.64.3.5", "198.51.100.80")
        .track("100.64.3.6", "203.0.113.80");
  }

  @Test
  void aPodSelectedLaterHasItsFlowsFlushedOnceItsRulesAreIn() {
    FakeConntrack conntrack = trackedOnNodeC();
    Reconciler r = new Reconciler(ip, nft, new OpenDatapaths(opener), conntrack);

    // The first pass only takes note: a restarted agent does not cut flows already on their path.
    ApplyResult first =
        r.apply(DesiredStateFunction.compute(PlanFixtures.egressOnNodeC(List.of(SELECTED))));
    assertThat(first.conntrackFlushed()).isZero();
    assertThat(conntrack.calls()).isEmpty();

    ApplyResult deselected =
        r.apply(DesiredStateFunction.compute(PlanFixtures.egressOnNodeC(List.of(UNSELECTED))));
    assertThat(deselected.ok()).as(deselected.toString()).isTrue();
    assertThat(deselected.conntrackFlushed()).isEqualTo(2);
    assertThat(conntrack.entries())
        .extracting(e -> e.source().getHostAddress())
        .containsExactly("100.64.3.6");

    // Nothing changed: no call at all.
    r.apply(DesiredStateFunction.compute(PlanFixtures.egressOnNodeC(List.of(UNSELECTED))));
    assertThat(conntrack.calls()).hasSize(1);
  }

  @Test
  void aFailedTransactionPostponesTheFlushToThePassThatAppliesTheRules() {
    FakeConntrack conntrack = trackedOnNodeC();
    Reconciler r = new Reconciler(ip, nft, new OpenDatapaths(opener), conntrack);
    r.apply(DesiredStateFunction.compute(PlanFixtures.egressOnNodeC(List.of(UNSELECTED))));
    DesiredState selected =
        DesiredStateFunction.compute(PlanFixtures.egressOnNodeC(List.of(SELECTED)));

    nft.failNextTransaction();
    ApplyResult failed = r.apply(selected);
    assertThat(failed.nftError()).contains("injected");
    assertThat(conntrack.calls()).as("flushed before the kill switch is in").isEmpty();

    ApplyResult applied = r.apply(selected);
    assertThat(applied.ok()).as(applied.toString()).isTrue();
    assertThat(applied.conntrackFlushed()).isEqualTo(2);
    assertThat(conntrack.calls()).containsExactly(Set.of(FakeConntrack.literal("100.64.3.5")));
  }

  @Test
  void aFailedFlushIsReportedNeverStopsThePassAndIsRetried() {
    FakeConntrack conntrack = trackedOnNodeC();
    Reconciler r = new Reconciler(ip, nft, new OpenDatapaths(opener), conntrack);
    r.apply(DesiredStateFunction.compute(PlanFixtures.egressOnNodeC(List.of(UNSELECTED))));
    DesiredState selected =
        DesiredStateFunction.compute(PlanFixtures.egressOnNodeC(List.of(SELECTED)));

    conntrack.failNextDelete();
    ApplyResult failed = r.apply(selected);
    assertThat(failed.ok()).isFalse();
    assertThat(failed.conntrackError()).contains("injected");
    assertThat(failed.nftError()).isNull();
    assertThat(ip.read().rules())
        .as("the pass went on: the pod's rule is in")
        .extracting(Rule::from)
        .containsExactly(Cidr.parseIpv4("100.64.3.5/32"));

    ApplyResult retried = r.apply(selected);
    assertThat(retried.ok()).as(retried.toString()).isTrue();
    assertThat(retried.conntrackFlushed()).isEqualTo(2);
    assertThat(conntrack.entries()).hasSize(1);
  }
}
