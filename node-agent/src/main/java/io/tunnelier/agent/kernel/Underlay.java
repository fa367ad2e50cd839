package io.tunnelier.agent.kernel;

/**
 * The node's own way out, read (never changed) from the default route: the device, its MTU and its
 * primary IPv4 address. Input to the desired-state functions (MTU, VXLAN local address, the VPS's
 * masquerade interface).
 */
public record Underlay(String dev, int mtu, String address) {}
