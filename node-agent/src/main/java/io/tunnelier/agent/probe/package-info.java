/**
 * What the node's kernel offers (TUN, GRE, WireGuard, VXLAN, nftables), probed once at start into
 * {@link io.tunnelier.agent.plan.Capabilities}. Depends on {@code kernel} (to run commands) and
 * {@code plan}; nothing depends on it but the wiring.
 */
package io.tunnelier.agent.probe;
