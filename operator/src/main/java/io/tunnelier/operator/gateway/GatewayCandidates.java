package io.tunnelier.operator.gateway;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.tunnelier.api.net.Cidr;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The nodes that may be a Tunnel's gateway, from the Nodes and the Tunnel's selector. Pure. */
public final class GatewayCandidates {
  private GatewayCandidates() {}

  /** Node-role labels of control-plane nodes (kubeadm's, and its older name). */
  static final List<String> CONTROL_PLANE_ROLES =
      List.of("node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master");

  /**
   * Selector keys that pick control-plane nodes on purpose: the roles and a node's own name. The
   * chart's admission policy lets only privileged users set them (its default {@code
   * admissionPolicies.controlPlaneSelectorKeys}).
   */
  static final List<String> CONTROL_PLANE_SELECTOR_KEYS =
      List.of(
          "node-role.kubernetes.io/control-plane",
          "node-role.kubernetes.io/master",
          "kubernetes.io/hostname");

  /**
   * Nodes whose labels include every {@code selector} entry (all nodes for an empty one). A
   * control-plane node qualifies only when the selector names it on purpose ({@link
   * #CONTROL_PLANE_SELECTOR_KEYS}) or the cluster has no other node (a single-node cluster): a
   * gateway's tunnel device, routes and NAT beside the API server are an admin's decision, not what
   * an empty or generic selector (e.g. {@code kubernetes.io/os: linux}) should pick.
   */
  public static List<NodeReadiness> matching(Collection<Node> nodes, Map<String, String> selector) {
    return eligible(nodes, selector).stream()
        .map(n -> new NodeReadiness(n.getMetadata().getName(), isReady(n)))
        .sorted(java.util.Comparator.comparing(NodeReadiness::name))
        .toList();
  }

  private static List<Node> eligible(Collection<Node> nodes, Map<String, String> selector) {
    boolean onPurpose =
        selector != null
            && selector.keySet().stream().anyMatch(CONTROL_PLANE_SELECTOR_KEYS::contains);
    boolean onlyControlPlane = nodes.stream().allMatch(GatewayCandidates::isControlPlane);
    return nodes.stream()
        .filter(n -> matches(n, selector))
        .filter(n -> onPurpose || onlyControlPlane || !isControlPlane(n))
        .toList();
  }

  static boolean isControlPlane(Node node) {
    Map<String, String> labels = node.getMetadata() == null ? null : node.getMetadata().getLabels();
    return labels != null && CONTROL_PLANE_ROLES.stream().anyMatch(labels::containsKey);
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
   * The ExternalIP addresses of the nodes that may be the gateway (as {@code a.b.c.d/32} and {@code
   * x::y/128}, sorted, unique): the sources a VPS sees the tunnel come from when the gateways reach
   * it without NAT, rendered into {@code peer.yaml} as allowedSources. Nodes behind NAT usually
   * have no ExternalIP: then the list is empty and the VPS accepts any source until the user writes
   * the NAT's public address there (docs/vps.md).
   */
  public static List<String> externalAddresses(
      Collection<Node> nodes, Map<String, String> selector) {
    return eligible(nodes, selector).stream()
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
        .map(a -> hostCidr(a.getAddress()))
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  /** {@code a.b.c.d/32} or {@code x::y/128}; null for what is not an address. */
  private static String hostCidr(String address) {
    try {
      return Cidr.parseAddress(address).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * This cluster's pod CIDRs, from the Nodes' {@code spec.podCIDRs} (both families on a dual-stack
   * cluster: a standalone site routes them all into the tunnel), sorted and unique.
   */
  public static List<String> podCidrs(Collection<Node> nodes) {
    return nodes.stream()
        .filter(n -> n.getSpec() != null)
        .flatMap(
            n ->
                n.getSpec().getPodCIDRs() != null && !n.getSpec().getPodCIDRs().isEmpty()
                    ? n.getSpec().getPodCIDRs().stream()
                    : java.util.stream.Stream.ofNullable(n.getSpec().getPodCIDR()))
        .distinct()
        .sorted()
        .toList();
  }
}
