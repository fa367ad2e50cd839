/**
 * The one loop that programs the host: plans, desired state, apply, status and metrics, on every
 * trigger and every resync, with a jittered backoff after failures ({@code RetryBackoff}). {@link
 * io.tunnelier.agent.loop.PlanSource} is what the cluster and the standalone config feed it.
 * Depends on {@code plan}, {@code apply}, {@code kernel}, {@code tunnel}, {@code status} and {@code
 * metrics}; only the wiring and the plan sources depend on it.
 */
package io.tunnelier.agent.loop;
