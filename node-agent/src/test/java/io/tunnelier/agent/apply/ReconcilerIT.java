package io.tunnelier.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.kernel.IpRoute2;
import io.tunnelier.agent.kernel.KernelDiff;
import io.tunnelier.agent.kernel.ProcessRunner;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.agent.nft.NftCli;
import io.tunnelier.agent.plan.DesiredState;
import io.tunnelier.agent.plan.DesiredStateFunction;
import io.tunnelier.agent.plan.PlanFixtures;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.agent.tunnel.OpenDatapaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On the real kernel: a device the kernel refuses for one tunnel (here a host VXLAN device already
 * holds its VNI on the same port: EEXIST) fails that tunnel only; the other tunnel on the node is
 * fully programmed in the same pass, and the first follows once the clash is gone. Runs the agent's
 * own Reconciler on a thread inside a lab namespace.
 */
class ReconcilerIT {
  @Test
  void oneTunnelsClashDoesNotStopAnotherTunnelsProgramming() throws Exception {
    Lab.assumeAvailable();
    List<TunnelPlan> plans = new ArrayList<>(PlanFixtures.egressMemberPlans());
    plans.addAll(PlanFixtures.siteToSitePlans(false));
    TunnelPlan egress = plans.get(0);
    TunnelPlan siteToSite = plans.get(1);
    DesiredState desired = DesiredStateFunction.compute(plans);
    try (Lab lab = Lab.create()) {
      Netns node = node(lab);
      // Not ours (no tnl prefix): the agent must neither touch it nor be stopped by it.
      node.ip(
          "link add hostvx type vxlan id "
              + egress.vxlan().vxlan().vni()
              + " local 192.0.2.12 dstport "
              + egress.vxlan().vxlan().port());
      InNetns.call(
          node,
          () -> {
            ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(20));
            IpRoute2 ip = new IpRoute2(runner);
            Reconciler reconciler = memberReconciler(ip, runner);
            // The refused tunnel's batch goes first, so the site-to-site batch is what the agent
            // sends again, in a process of its own, after the refusal.
            assertThat(IpBatches.split(KernelDiff.commands(desired.kernel(), ip.read()), plans))
                .extracting(IpBatches.Batch::owner)
                .containsExactly(egress.key(), siteToSite.key());

            ApplyResult clash = reconciler.apply(desired);
            System.out.println("[reconciler] with the clash: " + clash.ipErrors());
            assertThat(clash.ipErrorFor(egress.key()))
                .contains("VNI", "(ip link add " + egress.vxlan().name());
            assertThat(clash.ipErrorFor(siteToSite.key())).isNull();
            assertThat(node.execOk("ip", "-j", "rule", "show"))
                .contains("\"table\":\"" + siteToSite.id().table() + "\"")
                .doesNotContain("\"table\":\"" + egress.id().table() + "\"");
            assertThat(node.execOk("ip", "-j", "route", "show", "table", "all"))
                .contains("\"table\":\"" + siteToSite.id().table() + "\"");

            node.ip("link del hostvx");
            ApplyResult next = reconciler.apply(desired);
            assertThat(next.ok()).as(String.valueOf(next.ipErrors())).isTrue();
            assertThat(KernelDiff.commands(desired.kernel(), ip.read())).isEmpty();
            assertThat(node.execOk("ip", "-j", "rule", "show"))
                .contains("\"table\":\"" + egress.id().table() + "\"");

            assertThat(reconciler.cleanup().ok()).isTrue();
            return null;
          });
    }
  }

  /**
   * A dual-stack site-to-site member on the real kernel: IPv6 rules (through {@code ip -6}), routes
   * to a link-local next hop, its permanent neighbour entry and the nftables table with {@code ip6}
   * sets and SNAT are accepted, read back equal to what was desired (nothing left to change on the
   * next pass), and removed by cleanup, IPv6 rules included.
   */
  @Test
  void aDualStackMemberIsProgrammedReadBackAndCleanedUp() throws Exception {
    Lab.assumeAvailable();
    List<TunnelPlan> plans = PlanFixtures.dualStackSiteToSiteMemberPlans();
    TunnelPlan plan = plans.get(0);
    DesiredState desired = DesiredStateFunction.compute(plans);
    try (Lab lab = Lab.create()) {
      Netns node = node(lab);
      InNetns.call(
          node,
          () -> {
            ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(20));
            IpRoute2 ip = new IpRoute2(runner);
            Reconciler reconciler = memberReconciler(ip, runner);
            ApplyResult first = reconciler.apply(desired);
            assertThat(first.ok()).as(String.valueOf(first.ipErrors())).isTrue();
            assertThat(KernelDiff.commands(desired.kernel(), ip.read())).isEmpty();
            String rules6 = node.ip("-6 rule show");
            String routes6 = node.ip("-6 route show table " + plan.id().table());
            String table = node.execOk("nft", "list", "table", "inet", "tunnelier");
            System.out.printf(
                "[reconciler dual-stack] ip -6 rule:%n%s%nip -6 route table %d:%n%s%n%s%n",
                rules6, plan.id().table(), routes6, table);
            assertThat(rules6).contains("to fd00:80::/48 lookup " + plan.id().table());
            assertThat(routes6)
                .contains("fd00:80::/48 via fe80::6460:2 dev " + plan.vxlan().name());
            assertThat(node.ip("-6 neigh show nud permanent"))
                .contains("fe80::6460:2 dev " + plan.vxlan().name() + " lladdr");
            assertThat(table).contains("ip6 saddr @remote6_").contains("snat ip6 to ip6 saddr");
            assertThat(reconciler.apply(desired).ok()).isTrue();

            assertThat(reconciler.cleanup().ok()).isTrue();
            assertThat(node.ip("-6 rule show")).doesNotContain("lookup " + plan.id().table());
            assertThat(node.ip("-6 route show table all")).doesNotContain("fd00:80::/48");
            return null;
          });
    }
  }

  /** The lab node: 192.0.2.12 on eth0, the underlay a member's VXLAN hop binds to. */
  private static Netns node(Lab lab) {
    Netns node = lab.netns("node");
    node.ip("link add eth0 type veth peer name eth1");
    node.ip("address add 192.0.2.12/24 dev eth0");
    node.ip("link set eth0 up");
    node.ip("link set eth1 up");
    return node;
  }

  /** The agent's Reconciler with the real ip and nft; members open no datapath. */
  private static Reconciler memberReconciler(IpRoute2 ip, ProcessRunner runner) {
    return new Reconciler(
        ip,
        new NftCli(runner),
        new OpenDatapaths(
            (kind, config) -> {
              throw new IllegalStateException("members open no datapath");
            }));
  }
}
