package io.tunnelier.agent.plan;

import java.util.Map;

/** What the agent needs of a Pod: where it runs, its IP, and its labels for the selectors. */
public record PodInfo(
    String namespace,
    String name,
    Map<String, String> labels,
    String ip,
    String nodeName,
    boolean hostNetwork,
    boolean finished) {
  public PodInfo {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** Running pods with their own IP: hostNetwork pods carry the node's IP and are never steered. */
  public boolean routable() {
    return ip != null && !ip.isBlank() && nodeName != null && !hostNetwork && !finished;
  }
}
