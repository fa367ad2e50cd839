/**
 * WireGuard: the userspace datapath ({@link
 * io.tunnelier.agent.datapath.wireguard.WireGuardDatapath}, batched send and receive paths around
 * the I/O-free {@link io.tunnelier.agent.datapath.wireguard.Peer} core), the kernel device through
 * {@code ip} and {@code wg setconf}, and the factory that opens either. Depends on {@code noise},
 * {@code timers}, {@code net}, {@code tun} and the {@code datapath} contract; not on the agent.
 */
package io.tunnelier.agent.datapath.wireguard;
