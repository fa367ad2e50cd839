package io.tunnelier.agent.plan;

import java.util.List;

/** What the agent needs of a Node: its underlay address and its pod CIDRs (always excluded). */
public record NodeInfo(String name, String internalIp, List<String> podCidrs) {
  public NodeInfo {
    podCidrs = podCidrs == null ? List.of() : List.copyOf(podCidrs);
  }
}
