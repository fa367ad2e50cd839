package io.tunnelier.agent.plan;

import java.util.List;
import java.util.Map;

/**
 * What the agent needs of a Pod: where it runs, its IP, and its labels for the selectors.
 *
 * @param terminating it has a deletionTimestamp: still running (graceful shutdown), but its IP may
 *     soon be, or with a pod object left behind already be, another pod's
 * @param ipv6 its IPv6 addresses ({@code status.podIPs}), canonical text (RFC 5952, {@link
 *     io.tunnelier.api.net.Cidr#ip()}); the kill switch drops a selected pod's IPv6 until egress
 *     carries IPv6
 * @param uid {@code metadata.uid}, or null: the CNI plugin's holds name pods by it
 */
public record PodInfo(
    String namespace,
    String name,
    Map<String, String> labels,
    String ip,
    String nodeName,
    boolean hostNetwork,
    boolean finished,
    boolean terminating,
    List<String> ipv6,
    String uid) {
  public PodInfo {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    ipv6 = ipv6 == null ? List.of() : List.copyOf(ipv6);
  }

  public PodInfo(
      String namespace,
      String name,
      Map<String, String> labels,
      String ip,
      String nodeName,
      boolean hostNetwork,
      boolean finished,
      boolean terminating,
      List<String> ipv6) {
    this(namespace, name, labels, ip, nodeName, hostNetwork, finished, terminating, ipv6, null);
  }

  public PodInfo(
      String namespace,
      String name,
      Map<String, String> labels,
      String ip,
      String nodeName,
      boolean hostNetwork,
      boolean finished,
      boolean terminating) {
    this(namespace, name, labels, ip, nodeName, hostNetwork, finished, terminating, List.of());
  }

  public PodInfo(
      String namespace,
      String name,
      Map<String, String> labels,
      String ip,
      String nodeName,
      boolean hostNetwork,
      boolean finished) {
    this(namespace, name, labels, ip, nodeName, hostNetwork, finished, false);
  }

  /** Running pods with their own IP: hostNetwork pods carry the node's IP and are never steered. */
  public boolean routable() {
    return ip != null && !ip.isBlank() && nodeName != null && !hostNetwork && !finished;
  }

  /**
   * Bound to a node but without an IP the agent has seen: its sandbox (and then its containers) may
   * already be running there, since the kubelet reports {@code status.podIP} afterwards.
   */
  public boolean awaitingIp() {
    return (ip == null || ip.isBlank())
        && ipv6.isEmpty() // IPv6 only: no IPv4 address is coming
        && nodeName != null
        && !hostNetwork
        && !finished;
  }
}
