/**
 * The five timers of one WireGuard peer as a state machine driven by the caller's clock (whitepaper
 * section 6, wireguard-go's {@code timers.go}): no threads, no clock of its own. Depends only on
 * {@code noise} (entropy for jitter).
 */
package io.tunnelier.agent.datapath.wireguard.timers;
