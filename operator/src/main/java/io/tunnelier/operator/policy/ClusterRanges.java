package io.tunnelier.operator.policy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.tunnelier.api.net.Cidr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * This cluster's own ranges, which no Tunnel may take: the {@code clusterCIDRs} of the operator
 * configuration (the pod and service ranges, which only the admin knows for sure), every Node's
 * {@code spec.podCIDRs} (both families on a dual-stack cluster) and every Node's InternalIP and
 * ExternalIP as a /32 or /128. Node podCIDRs alone are not the pod range on every CNI (Calico and
 * Cilium's cluster-pool IPAM hand out their own blocks), and nothing in the API tells the service
 * range: hence the configured ones. Pure.
 *
 * @param ranges in a fixed order: the configured ones, then per Node (by name) its pod ranges and
 *     addresses, so that the first overlap found is always the same one
 */
public record ClusterRanges(List<ClusterRange> ranges) {

  /**
   * One of the cluster's ranges and where it comes from, for a message.
   *
   * @param description e.g. {@code pod range 10.244.1.0/24 (Node kind-worker)}
   * @param egressExcluded whether the agents take it out of every egress route: the configured
   *     ranges (their {@code --cluster-cidr}), pod ranges and each Node's first IPv4 and first IPv6
   *     InternalIP, as the agent's ClusterPlanner and KubeObjects do; not ExternalIPs
   */
  public record ClusterRange(Cidr cidr, String description, boolean egressExcluded) {}

  public ClusterRanges {
    ranges = List.copyOf(ranges);
  }

  /**
   * The ranges from the configuration and the Nodes, of both families (site-to-site carries IPv6
   * pod CIDRs). A configured entry that does not parse was refused at the operator's start.
   */
  public static ClusterRanges of(Collection<Node> nodes, List<String> configured) {
    List<ClusterRange> ranges = new ArrayList<>();
    for (String cidr : configured) {
      Cidr parsed = Cidr.parse(cidr);
      ranges.add(
          new ClusterRange(
              parsed, "range " + parsed + " (clusterCIDRs in the operator configuration)", true));
    }
    nodes.stream()
        .filter(n -> n.getMetadata() != null && n.getMetadata().getName() != null)
        .sorted(Comparator.comparing((Node n) -> n.getMetadata().getName()))
        .forEach(n -> ranges.addAll(of(n)));
    return new ClusterRanges(ranges);
  }

  private static List<ClusterRange> of(Node node) {
    String name = node.getMetadata().getName();
    List<ClusterRange> ranges = new ArrayList<>();
    if (node.getSpec() != null) {
      List<String> podCidrs =
          node.getSpec().getPodCIDRs() != null && !node.getSpec().getPodCIDRs().isEmpty()
              ? node.getSpec().getPodCIDRs()
              : node.getSpec().getPodCIDR() == null
                  ? List.of()
                  : List.of(node.getSpec().getPodCIDR());
      for (String cidr : podCidrs) {
        parse(cidr)
            .ifPresent(
                c ->
                    ranges.add(
                        new ClusterRange(c, "pod range " + c + " (Node " + name + ")", true)));
      }
    }
    // Per family: the agents exclude each Node's first IPv4 and first IPv6 InternalIP.
    java.util.Set<Boolean> excludedFamilies = new java.util.HashSet<>();
    if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
      for (NodeAddress address : node.getStatus().getAddresses()) {
        boolean internal = "InternalIP".equals(address.getType());
        if ((internal || "ExternalIP".equals(address.getType())) && address.getAddress() != null) {
          Optional<Cidr> cidr = parse(address.getAddress().strip()).filter(Cidr::isHost);
          if (cidr.isPresent()) {
            // The agents exclude the first InternalIP of each family (KubeObjects).
            boolean excludedByAgents = internal && excludedFamilies.add(cidr.get().isIpv4());
            ranges.add(
                new ClusterRange(
                    cidr.get(),
                    "node address "
                        + cidr.get().ip()
                        + " ("
                        + address.getType()
                        + " of Node "
                        + name
                        + ")",
                    excludedByAgents));
          }
        }
      }
    }
    return ranges;
  }

  /**
   * A CIDR or address of either family, or nothing for garbage (a Node is not ours to validate).
   */
  private static Optional<Cidr> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Cidr.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The first of the cluster's ranges that shares an address with {@code cidr}. */
  public Optional<ClusterRange> overlapping(Cidr cidr) {
    return ranges.stream().filter(r -> r.cidr().overlaps(cidr)).findFirst();
  }

  /**
   * The first of the ranges the agents exclude from egress that holds every address of {@code
   * cidr}.
   */
  public Optional<ClusterRange> egressExclusionContaining(Cidr cidr) {
    return ranges.stream().filter(r -> r.egressExcluded() && r.cidr().contains(cidr)).findFirst();
  }
}
