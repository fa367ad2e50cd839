package io.tunnelier.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.kernel.IpCommand;
import io.tunnelier.agent.kernel.KernelDiff;
import io.tunnelier.agent.kernel.KernelState;
import io.tunnelier.agent.kernel.Rule;
import io.tunnelier.agent.plan.DesiredStateFunction;
import io.tunnelier.agent.plan.PlanFixtures;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.api.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpBatchesTest {
  @Test
  void everyCommandGoesToItsTunnelsBatchAndRemovalsComeFirst() {
    List<TunnelPlan> plans = new ArrayList<>(PlanFixtures.egressGatewayPlans());
    plans.addAll(PlanFixtures.siteToSitePlans(true));
    KernelState desired = DesiredStateFunction.compute(plans).kernel();
    // Live: a leftover rule of a deleted tunnel (a table no plan owns) and a stale rule of egress.
    Rule leftover = new Rule(10100, Cidr.parseIpv4("100.64.9.9/32"), null, 0x54ffff, null);
    Rule stale =
        new Rule(10100, Cidr.parseIpv4("100.64.9.8/32"), null, plans.get(0).id().table(), null);
    KernelState live =
        new KernelState(Set.of(), Set.of(), Set.of(), Set.of(leftover, stale), Set.of(), Set.of());
    List<IpCommand> commands = KernelDiff.commands(desired, live);

    List<IpBatches.Batch> batches = IpBatches.split(commands, plans);

    assertThat(batches)
        .extracting(IpBatches.Batch::owner)
        .containsExactly(IpBatches.NO_OWNER, "scraping/egress", "scraping/egress", "scraping/s2s");
    assertThat(batches.get(0).commands()).containsExactly(new IpCommand.DeleteRule(leftover));
    assertThat(batches.get(1).commands()).containsExactly(new IpCommand.DeleteRule(stale));
    // Nothing lost, nothing repeated, and each batch keeps KernelDiff's order.
    assertThat(batches.stream().flatMap(b -> b.commands().stream()))
        .containsExactlyInAnyOrderElementsOf(commands);
    for (IpBatches.Batch b : batches) {
      assertThat(b.commands()).isSubsetOf(commands);
      List<IpCommand> inDiffOrder =
          commands.stream().filter(c -> b.commands().contains(c)).toList();
      assertThat(b.commands()).containsExactlyElementsOf(inDiffOrder);
    }
    // A tunnel's batch carries its own devices' and tables' commands only.
    assertThat(batches.get(3).commands())
        .allMatch(
            c ->
                c.batchLine().contains(plans.get(1).id().hash())
                    || c.batchLine().contains(String.valueOf(plans.get(1).id().table()))
                    || c.batchLine().contains(String.valueOf(plans.get(1).id().replyTable())));
  }
}
