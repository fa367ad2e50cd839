package io.tunnelier.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.apply.ApplyResult;
import io.tunnelier.agent.kernel.KernelState;
import io.tunnelier.agent.plan.DesiredState;
import io.tunnelier.agent.plan.DesiredStateFunction;
import io.tunnelier.agent.plan.PlanFixtures;
import io.tunnelier.agent.plan.PodHolds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KernelPassesTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final KernelPasses passes = new KernelPasses(Duration.ofSeconds(30));
  final DesiredState gateway = DesiredStateFunction.compute(PlanFixtures.egressGatewayPlans());
  final ApplyResult clean = result(List.of("route add 0.0.0.0/0 dev tnl-x table 100"), null);

  /** A clean pass that sent {@code commands}, with {@code cniChainProblem} (null: none). */
  static ApplyResult result(List<String> commands, String cniChainProblem) {
    return new ApplyResult(
        commands,
        !commands.isEmpty(),
        false,
        null,
        Map.of(),
        null,
        Map.of(),
        KernelState.EMPTY,
        0,
        null,
        null,
        cniChainProblem);
  }

  @Test
  void theFirstPassReadsTheKernel() {
    assertThat(passes.unchanged(gateway, null, T0)).isEmpty();
  }

  @Test
  void theSameDesiredStateBuiltAgainStandsOnTheLastReadUntilTheResyncPeriod() {
    passes.applied(gateway, null, clean, T0);
    DesiredState again = DesiredStateFunction.compute(PlanFixtures.egressGatewayPlans());
    assertThat(passes.unchanged(again, null, T0.plusSeconds(29)))
        .hasValueSatisfying(
            r -> {
              assertThat(r.ok()).isTrue();
              assertThat(r.changed()).as("nothing sent this pass").isFalse();
              assertThat(r.live()).isSameAs(clean.live());
            });
    assertThat(passes.unchanged(again, null, T0.plusSeconds(30))).isEmpty();
    assertThat(passes.unchanged(again, null, T0.minusSeconds(1)))
        .as("a clock stepped back")
        .isEmpty();
  }

  @Test
  void anythingNewOrUncleanReadsTheKernel() {
    passes.applied(gateway, null, clean, T0);
    assertThat(passes.unchanged(DesiredState.NOTHING, null, T0)).isEmpty();
    PodHolds holds = new PodHolds(new TreeSet<>(Set.of("shop")), List.of(), Map.of(), Set.of());
    assertThat(passes.unchanged(gateway, holds, T0)).as("new CNI holds").isEmpty();

    passes.applied(gateway, null, ApplyResult.unchanged(KernelState.EMPTY, "ip failed"), T0);
    assertThat(passes.unchanged(gateway, null, T0)).as("after a failed pass").isEmpty();

    ApplyResult unchained = result(List.of(), "not in the CNI chain");
    passes.applied(gateway, null, unchained, T0);
    assertThat(passes.unchanged(gateway, null, T0)).as("CNI chain to repair").isEmpty();

    passes.applied(gateway, null, clean, T0);
    passes.force();
    assertThat(passes.unchanged(gateway, null, T0)).as("forced (SIGHUP)").isEmpty();
  }
}
