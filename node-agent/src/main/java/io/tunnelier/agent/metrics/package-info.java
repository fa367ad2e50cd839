/**
 * The agent's {@code /metrics} and {@code /healthz}: {@link
 * io.tunnelier.agent.metrics.AgentMetrics} (Micrometer, Prometheus text), where the server listens
 * and whether tunnels are named ({@link io.tunnelier.agent.metrics.MetricsBinding}, pure), and the
 * two routes it registers on the shared {@code io.tunnelier.api.http} server. Reads results of
 * {@code apply} and {@code datapath} and {@code plan}'s tunnel ids; only the loop and the wiring
 * call it.
 */
package io.tunnelier.agent.metrics;
