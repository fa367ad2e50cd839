package io.tunnelier.operator.gateway;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The nodes that may be a Tunnel's gateway, from the Nodes and the Tunnel's selector. Pure. */
public final class GatewayCandidates {
  private GatewayCandidates() {}

  /** Nodes whose labels include every {@code selector} entry (all nodes for an empty one). */
  public static List<NodeReadiness> matching(Collection<Node> nodes, Map<String, String> selector) {
    return nodes.stream()
        .filter(n -> matches(n, selector))
        .map(n -> new NodeReadiness(n.getMetadata().getName(), isReady(n)))
        .sorted(java.util.Comparator.comparing(NodeReadiness::name))
        .toList();
  }

  static boolean matches(Node node, Map<String, String> selector) {
    if (selector == null || selector.isEmpty()) {
      return true;
    }
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels != null
        && selector.entrySet().stream()
            .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  /** The node's Ready condition is True (and it is not being deleted). */
  public static boolean isReady(Node node) {
    if (node.getMetadata().getDeletionTimestamp() != null || node.getStatus() == null) {
      return false;
    }
    List<NodeCondition> conditions = node.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * The IPv4 ExternalIP addresses of the nodes that may be the gateway (as {@code a.b.c.d/32},
   * sorted, unique): the sources a VPS sees the tunnel come from when the gateways reach it without
   * NAT, rendered into {@code peer.yaml} as allowedSources. Nodes behind NAT usually have no
   * ExternalIP: then the list is empty and the VPS accepts any source until the user writes the
   * NAT's public address there (docs/vps.md).
   */
  public static List<String> externalAddresses(
      Collection<Node> nodes, Map<String, String> selector) {
    return nodes.stream()
        .filter(n -> matches(n, selector))
        .flatMap(n -> externalAddresses(n).stream())
        .distinct()
        .sorted()
        .toList();
  }

  static List<String> externalAddresses(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return List.of();
    }
    return node.getStatus().getAddresses().stream()
        .filter(a -> "ExternalIP".equals(a.getType()) && a.getAddress() != null)
        .map(a -> a.getAddress().strip())
        .filter(a -> a.matches("\\d{1,3}(\\.\\d{1,3}){3}"))
        .map(a -> a + "/32")
        .toList();
  }

  /** This cluster's pod CIDRs, from the Nodes' {@code spec.podCIDRs}, sorted and unique. */
  public static List<String> podCidrs(Collection<Node> nodes) {
    return nodes.stream()
        .filter(n -> n.getSpec() != null)
        .flatMap(
            n ->
                n.getSpec().getPodCIDRs() != null && !n.getSpec().getPodCIDRs().isEmpty()
                    ? n.getSpec().getPodCIDRs().stream()
                    : java.util.stream.Stream.ofNullable(n.getSpec().getPodCIDR()))
        .filter(c -> !c.contains(":"))
        .distinct()
        .sorted()
        .toList();
  }
}
