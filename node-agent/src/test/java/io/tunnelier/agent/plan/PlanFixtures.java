package io.tunnelier.agent.plan;

import io.tunnelier.api.v1alpha1.Encapsulation;
import java.util.List;

/** Plans for tests outside this package. */
public final class PlanFixtures {
  private PlanFixtures() {}

  /** An egress gateway over userspace GRE with one local and one remote pod. */
  public static List<TunnelPlan> egressGatewayPlans() {
    return ClusterPlanner.plan(
        Fixtures.snapshot(Fixtures.egress("egress", Encapsulation.GRE)),
        Fixtures.ctx(Fixtures.GW, Capabilities.NO_TUNNEL_MODULES));
  }
}
