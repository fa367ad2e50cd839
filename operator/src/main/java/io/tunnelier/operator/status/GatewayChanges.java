package io.tunnelier.operator.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tunnelier.api.v1alpha1.Tunnel;

/**
 * Gateway moves as a metric, beside their Events ({@link TunnelEvents#gatewayChange}): {@code
 * tunnelier_operator_gateway_changes_total{namespace, name, reason}}, reason being the Event's
 * (GatewayElected, GatewayFailover, GatewayLost). A deleted Tunnel's series go with it.
 */
public final class GatewayChanges {
  static final String METRIC = "tunnelier_operator_gateway_changes";
  private final MeterRegistry registry;

  public GatewayChanges(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(Tunnel tunnel, TunnelEvents.Event change) {
    Counter.builder(METRIC)
        .description("Changes of a Tunnel's active gateway, by the reason of their Event")
        .tag("namespace", tunnel.getMetadata().getNamespace())
        .tag("name", tunnel.getMetadata().getName())
        .tag("reason", change.reason())
        .register(registry)
        .increment();
  }

  /** Removes a released Tunnel's series. */
  public void forget(Tunnel tunnel) {
    registry
        .find(METRIC)
        .tag("namespace", tunnel.getMetadata().getNamespace())
        .tag("name", tunnel.getMetadata().getName())
        .meters()
        .forEach(registry::remove);
  }
}
