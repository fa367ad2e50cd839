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
}
