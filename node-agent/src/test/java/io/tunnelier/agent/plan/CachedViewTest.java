package io.tunnelier.agent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.apply.ApplyResult;
import io.tunnelier.agent.cluster.FakeSecrets;
import io.tunnelier.agent.cluster.KeySecrets;
import io.tunnelier.agent.kernel.KernelState;
import io.tunnelier.agent.kernel.Link;
import io.tunnelier.agent.kernel.LinkKind;
import io.tunnelier.agent.status.NodeStatusBuilder;
import io.tunnelier.agent.status.PeerMeasurement;
import io.tunnelier.agent.tunnel.OpenDatapaths;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An API server outage on a WireGuard gateway: the Secret GET fails, the agent plans with its last
 * good keys (the same datapath config, so the running tunnel is neither closed nor re-opened), and
 * its status entry says it works from a cached view.
 */
class CachedViewTest {
  @Test
  void theGatewayKeepsItsTunnelAndSaysItWorksFromACachedView() {
    FakeSecrets api = new FakeSecrets();
    api.put(
        "scraping",
        "egress-keys",
        Map.of("privateKey", Base64.getEncoder().encodeToString(Fixtures.KEY)));
    KeySecrets secrets = new KeySecrets(api);
    Tunnel t = Fixtures.egress("egress", Encapsulation.WIREGUARD);

    TunnelPlan before = plan(t, secrets);
    assertThat(before.problem()).isNull();
    assertThat(before.device().config()).isNotNull();
    assertThat(before.cachedView()).isNull();

    api.outage(true);
    TunnelPlan during = plan(t, secrets);
    assertThat(during.problem()).isNull();
    assertThat(OpenDatapaths.same(before.device(), during.device())).isTrue();
    assertThat(during.cachedView()).contains("keys from the agent's cache");
    assertThat(DesiredStateFunction.compute(List.of(during)).nft())
        .isEqualTo(DesiredStateFunction.compute(List.of(before)).nft());

    NodeStatus status =
        NodeStatusBuilder.build(
            Fixtures.GW,
            during,
            ApplyResult.unchanged(
                new KernelState(
                    Set.of(
                        new Link(during.device().name(), LinkKind.TUNNEL, 1420, true, null, null)),
                    Set.of(),
                    Set.of(),
                    Set.of(),
                    Set.of()),
                null),
            Optional.empty(),
            Optional.empty(),
            PeerMeasurement.rtt(OptionalDouble.of(1.0)),
            null,
            Instant.EPOCH);
    assertThat(status.getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("LinkUp");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getMessage())
                  .contains("the agent works from a cached view")
                  .contains("Secret egress-keys");
            });

    api.outage(false);
    assertThat(plan(t, secrets).cachedView()).isNull();
  }

  @Test
  void withoutKeysEverReadTheOutageLeavesOnlyTheKillSwitch() {
    FakeSecrets api = new FakeSecrets();
    api.outage(true);
    TunnelPlan p = plan(Fixtures.egress("egress", Encapsulation.WIREGUARD), new KeySecrets(api));
    assertThat(p.device()).isNull();
    assertThat(p.problem()).contains("privateKey");
    assertThat(p.killSwitch()).isNotNull();
  }

  /** What InformerClusterView does with the keys: read them, mark the cached ones. */
  static TunnelPlan plan(Tunnel t, KeySecrets secrets) {
    KeySecrets.Read read = secrets.read(t);
    Map<String, TunnelKeys> keys = new HashMap<>();
    Set<String> cached = new HashSet<>();
    if (read.keys() != null) {
      keys.put("scraping/egress", read.keys());
    }
    if (read.cached()) {
      cached.add("scraping/egress");
    }
    ClusterSnapshot s = Fixtures.snapshot(t);
    ClusterSnapshot snapshot = new ClusterSnapshot(s.tunnels(), s.nodes(), s.pods(), keys, cached);
    return ClusterPlanner.plan(snapshot, Fixtures.ctx(Fixtures.GW, Capabilities.NO_TUNNEL_MODULES))
        .get(0);
  }
}
