package io.tunnelier.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tunnelier.api.v1alpha1.Tunnel;
import org.junit.jupiter.api.Test;

class GatewayChangesTest {
  static Tunnel tunnel(String name) {
    Tunnel t = new Tunnel();
    t.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName(name).build());
    return t;
  }

  @Test
  void countsMovesByReasonAndForgetsAReleasedTunnel() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    GatewayChanges changes = new GatewayChanges(registry);
    TunnelEvents.Event failover =
        new TunnelEvents.Event(TunnelEvents.WARNING, "GatewayFailover", "moved");
    changes.record(
        tunnel("egress"), new TunnelEvents.Event(TunnelEvents.NORMAL, "GatewayElected", "x"));
    changes.record(tunnel("egress"), failover);
    changes.record(tunnel("egress"), failover);
    changes.record(tunnel("other"), failover);
    assertThat(registry.scrape())
        .contains(
            "tunnelier_operator_gateway_changes_total{name=\"egress\",namespace=\"team-a\","
                + "reason=\"GatewayFailover\"} 2.0",
            "tunnelier_operator_gateway_changes_total{name=\"egress\",namespace=\"team-a\","
                + "reason=\"GatewayElected\"} 1.0");

    changes.forget(tunnel("egress"));
    assertThat(registry.scrape()).doesNotContain("name=\"egress\"").contains("name=\"other\"");
  }
}
