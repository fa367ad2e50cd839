package io.tunnelier.operator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * The operator's configuration file ({@code --config}, default {@code
 * /etc/tunnelier/operator.yaml}), rendered by the Helm chart into a ConfigMap. Every key is
 * described in docs/operator.md; absent keys take the defaults below.
 *
 * @param agent how the node agent DaemonSet runs
 * @param addressPool IPv4 CIDR inner tunnel addresses are allocated from, as /31 pairs
 * @param gatewayFailoverAfter how long the active gateway's agent may report the tunnel down before
 *     another candidate takes over ({@code 30s})
 * @param finalizerWait how long a deleted Tunnel waits for every agent to report its state removed
 *     ({@code 60s})
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record OperatorConfig(
    AgentConfig agent, String addressPool, String gatewayFailoverAfter, String finalizerWait) {

  public static final String DEFAULT_ADDRESS_POOL = "100.96.0.0/16";

  public OperatorConfig {
    agent = agent == null ? AgentConfig.defaults() : agent;
    addressPool = addressPool == null || addressPool.isBlank() ? DEFAULT_ADDRESS_POOL : addressPool;
    gatewayFailoverAfter = gatewayFailoverAfter == null ? "30s" : gatewayFailoverAfter;
    finalizerWait = finalizerWait == null ? "60s" : finalizerWait;
    // Fail at start with a clear message, not at the first reconcile.
    Durations.parse(gatewayFailoverAfter);
    Durations.parse(finalizerWait);
  }

  /** All defaults. */
  public static OperatorConfig defaults() {
    return new OperatorConfig(null, null, null, null);
  }

  public Duration gatewayFailoverAfterDuration() {
    return Durations.parse(gatewayFailoverAfter);
  }

  public Duration finalizerWaitDuration() {
    return Durations.parse(finalizerWait);
  }

  public OperatorConfig withAgent(AgentConfig newAgent) {
    return new OperatorConfig(newAgent, addressPool, gatewayFailoverAfter, finalizerWait);
  }

  public OperatorConfig withAddressPool(String pool) {
    return new OperatorConfig(agent, pool, gatewayFailoverAfter, finalizerWait);
  }

  public OperatorConfig withGatewayFailoverAfter(Duration after) {
    return new OperatorConfig(agent, addressPool, Durations.format(after), finalizerWait);
  }

  public OperatorConfig withFinalizerWait(Duration wait) {
    return new OperatorConfig(agent, addressPool, gatewayFailoverAfter, Durations.format(wait));
  }
}
