/**
 * Failover between the VPS of a Tunnel with backup peers, on its gateway: the health of each peer
 * from probes through its own device, with hysteresis ({@link io.tunnelier.agent.peers.PeerHealth},
 * pure and clock-driven), the prober thread that feeds it ({@link
 * io.tunnelier.agent.peers.PeerHealthProber}), and the choice of the peer the plan routes through.
 * Depends on {@code plan} and the API types; the loop depends on it, not the other way round.
 */
package io.tunnelier.agent.peers;
