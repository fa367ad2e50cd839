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
