package io.tunnelier.agent.plan;

import java.util.List;

/**
 * What the agent needs of a Node: its underlay address and its pod CIDRs (always excluded).
 *
 * @param internalIp its first IPv4 InternalIP: the underlay of the VXLAN hops
 * @param internalIp6 its first IPv6 InternalIP on a dual-stack cluster, or null: excluded from
 *     egress like the IPv4 one
 */
public record NodeInfo(String name, String internalIp, List<String> podCidrs, String internalIp6) {
  public NodeInfo {
    podCidrs = podCidrs == null ? List.of() : List.copyOf(podCidrs);
  }

  public NodeInfo(String name, String internalIp, List<String> podCidrs) {
    this(name, internalIp, podCidrs, null);
  }
}
