package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Encapsulation;
import java.util.List;

/** Plans for tests outside this package. */
public final class PlanFixtures {
  /** The peer.yaml the operator renders for a raw GRE VPS: no peerEndpoint, the peer is learned. */
  public static final String RAW_GRE_VPS =
      """
      apiVersion: tunnelier.io/v1alpha1
      kind: StandaloneConfig
      tunnels:
      - name: scraping/egress-gre
        type: Egress
        encapsulation: GRE
        greKey: 4242
        allowedSources: [198.51.100.11, 198.51.100.12]
        address: 100.96.0.3/31
        peerAddress: 100.96.0.2/31
      """;

  /** The same with a fixed peer: the kernel's gre device can take it. */
  public static final String RAW_GRE_FIXED_PEER =
      RAW_GRE_VPS.replace("  greKey: 4242\n", "  greKey: 4242\n  peerEndpoint: 198.51.100.11\n");

  private PlanFixtures() {}

  /** A gateway asked for datapath Kernel on a node without the GRE module. */
  public static List<TunnelPlan> kernelForcedWithoutModule() {
    io.tunnelier.api.v1alpha1.Tunnel t = Fixtures.egress("egress", Encapsulation.GRE);
    t.getSpec().setDatapath(io.tunnelier.api.v1alpha1.DatapathMode.KERNEL);
    return ClusterPlanner.plan(
        Fixtures.snapshot(t), Fixtures.ctx(Fixtures.GW, Capabilities.NO_TUNNEL_MODULES));
  }

  /**
   * {@link #egressGatewayPlans()} with {@code pods} selected pods instead (100.72.0.0/13 hosts) in
   * the kill switch: the nftables side of a large selection, for benchmarks.
   */
  public static List<TunnelPlan> egressGatewayWithPods(int pods) {
    List<Cidr> ips = new java.util.ArrayList<>();
    for (int i = 0; i < pods; i++) {
      ips.add(
          Cidr.parseIpv4(
              "100." + (72 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256) + "/32"));
    }
    return egressGatewayPlans().stream()
        .map(
            p ->
                p.killSwitch() == null
                    ? p
                    : new TunnelPlan(
                        p.id(),
                        p.role(),
                        p.type(),
                        p.device(),
                        p.vxlan(),
                        p.routing(),
                        p.nat(),
                        p.mss(),
                        new KillSwitch(
                            ips,
                            p.killSwitch().destinations(),
                            p.killSwitch().excluded(),
                            p.killSwitch().allowedDev()),
                        p.problem()))
        .toList();
  }

  /** An egress gateway over userspace GRE with one local and one remote pod. */
  public static List<TunnelPlan> egressGatewayPlans() {
    return ClusterPlanner.plan(
        Fixtures.snapshot(Fixtures.egress("egress", Encapsulation.GRE)),
        Fixtures.ctx(Fixtures.GW, Capabilities.NO_TUNNEL_MODULES));
  }

  /** {@link #egressGatewayPlans()} with these {@code spec.egress.destinations}. */
  public static List<TunnelPlan> egressGatewayPlansTo(String... destinations) {
    io.tunnelier.api.v1alpha1.Tunnel t = Fixtures.egress("egress", Encapsulation.GRE);
    t.getSpec().getEgress().setDestinations(List.of(destinations));
    return ClusterPlanner.plan(
        Fixtures.snapshot(t), Fixtures.ctx(Fixtures.GW, Capabilities.NO_TUNNEL_MODULES));
  }

  /** The member (node-b, one selected pod) of the same Tunnel as {@link #egressGatewayPlans()}. */
  public static List<TunnelPlan> egressMemberPlans() {
    return ClusterPlanner.plan(
        Fixtures.snapshot(Fixtures.egress("egress", Encapsulation.GRE)),
        Fixtures.ctx(Fixtures.MEMBER, Capabilities.NO_TUNNEL_MODULES));
  }

  /** Egress plans of node-c, which runs no selected pod in {@link Fixtures#pods()}, with more. */
  public static List<TunnelPlan> egressOnNodeC(List<PodInfo> extraPods) {
    return ClusterPlanner.plan(
        Fixtures.snapshotWithPods(extraPods, Fixtures.egress("egress", Encapsulation.GRE)),
        Fixtures.ctx("node-c", Capabilities.NO_TUNNEL_MODULES));
  }

  /** A dual-stack site-to-site member (IPv4 and IPv6 CIDRs both ways; userspace GRE). */
  public static List<TunnelPlan> dualStackSiteToSiteMemberPlans() {
    return ClusterPlanner.plan(
        Fixtures.snapshot(Fixtures.DUAL_STACK_NODES, overGre(Fixtures.dualStackSiteToSite("s2s"))),
        Fixtures.ctx(Fixtures.MEMBER, Capabilities.NO_TUNNEL_MODULES));
  }

  /** A site-to-site gateway and a member of the same Tunnel (userspace GRE). */
  public static List<TunnelPlan> siteToSitePlans(boolean gateway) {
    return ClusterPlanner.plan(
        Fixtures.snapshot(overGre(Fixtures.siteToSite("s2s"))),
        Fixtures.ctx(gateway ? Fixtures.GW : Fixtures.MEMBER, Capabilities.NO_TUNNEL_MODULES));
  }

  /** A site-to-site Tunnel over GRE, key 4300, to the other site's gateway at 203.0.113.139. */
  private static io.tunnelier.api.v1alpha1.Tunnel overGre(io.tunnelier.api.v1alpha1.Tunnel t) {
    t.getSpec().setEncapsulation(Encapsulation.GRE);
    t.getSpec().getPeer().setPublicKey(null);
    t.getSpec().getPeer().setEndpoint("203.0.113.139");
    t.getSpec().getPeer().setGreKey(4300L);
    return t;
  }
}
