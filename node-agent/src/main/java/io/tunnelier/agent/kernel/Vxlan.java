package io.tunnelier.agent.kernel;

/**
 * VXLAN attributes that identify the link; any difference means delete and re-create.
 *
 * @param local this node's underlay address (dotted quad)
 * @param remote the active gateway's underlay address, or null on the gateway itself (it only
 *     receives)
 */
public record Vxlan(int vni, String local, String remote, int port) {}
