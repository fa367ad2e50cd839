package io.tunnelier.agent.plan;

/**
 * One VPS's tunnel device on the gateway of a Tunnel with backup peers: each peer has its own
 * device and inner addresses, so the gateway can probe a VPS before it sends traffic through it.
 *
 * @param peer {@code primary} or the backup's name
 * @param priority 0 for the primary, then the order of {@code spec.backupPeers}
 * @param device null when it cannot be built yet ({@code problem} says why)
 */
public record PeerDevice(String peer, int priority, TunnelDevice device, String problem) {}
