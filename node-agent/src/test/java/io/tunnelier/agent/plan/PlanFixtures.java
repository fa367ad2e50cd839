package io.tunnelier.agent.plan;

import io.tunnelier.api.v1alpha1.Encapsulation;
import java.util.List;

/** Plans for tests outside this package. */
public final class PlanFixtures {
  private PlanFixtures() {}

  /** A gateway asked for datapath Kernel on a node without the GRE module. */
  public static List<TunnelPlan> kernelForcedWithoutModule() {
    io.tunnelier.api.v1alpha1.Tunnel t = Fixtures.egress("egress", Encapsulation.GRE);
    t.getSpec().setDatapath(io.tunnelier.api.v1alpha1.DatapathMode.KERNEL);
    return ClusterPlanner.plan(
        Fixtures.snapshot(t), Fixtures.ctx(Fixtures.GW, Capabilities.NO_TUNNEL_MODULES));
  }

  /** An egress gateway over userspace GRE with one local and one remote pod. */
  public static List<TunnelPlan> egressGatewayPlans() {
    return ClusterPlanner.plan(
        Fixtures.snapshot(Fixtures.egress("egress", Encapsulation.GRE)),
        Fixtures.ctx(Fixtures.GW, Capabilities.NO_TUNNEL_MODULES));
  }

  /** A site-to-site gateway and a member of the same Tunnel (userspace GRE). */
  public static List<TunnelPlan> siteToSitePlans(boolean gateway) {
    io.tunnelier.api.v1alpha1.Tunnel t = Fixtures.siteToSite("s2s");
    t.getSpec().setEncapsulation(Encapsulation.GRE);
    t.getSpec().getPeer().setPublicKey(null);
    t.getSpec().getPeer().setEndpoint("203.0.113.139");
    t.getSpec().getPeer().setGreKey(4300L);
    return ClusterPlanner.plan(
        Fixtures.snapshot(t),
        Fixtures.ctx(gateway ? Fixtures.GW : Fixtures.MEMBER, Capabilities.NO_TUNNEL_MODULES));
  }
}
