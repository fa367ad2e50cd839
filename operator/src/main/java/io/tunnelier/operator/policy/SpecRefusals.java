package io.tunnelier.operator.policy;

import io.fabric8.kubernetes.api.model.Node;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.peerconfig.GreKeys;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelSpec;
import io.tunnelier.api.v1alpha1.TunnelType;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.gateway.GatewayCandidates;
import io.tunnelier.operator.gateway.NodeReadiness;
import io.tunnelier.operator.policy.ClusterRanges.ClusterRange;
import io.tunnelier.operator.status.TunnelConditions;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the CRD's validation cannot refuse because only the cluster knows it: a Tunnel that would
 * steer this cluster's own traffic away, or whose GRE key another Tunnel on the same gateway
 * already uses. Pure: the caller passes the Tunnel, this cluster's ranges, the Nodes and the other
 * Tunnels, and gets the first problem, with a message that says what to change.
 *
 * <p>A {@code spec.address} taken by another Tunnel is the {@link
 * io.tunnelier.operator.address.AddressAllocator}'s to refuse ({@code AddressConflict}), not this
 * class's. A {@code spec.address} outside {@code addressPool} is allowed on purpose: SiteToSite
 * over GRE needs one agreed with the other cluster, and the docs advise one outside the pool when
 * the pool is full; what makes an address dangerous is that the cluster uses it, checked here.
 */
public final class SpecRefusals {
  /**
   * Why a Tunnel is refused: a condition reason ({@link TunnelConditions#CLUSTER_RANGE_OVERLAP} or
   * {@link TunnelConditions#GRE_KEY_CONFLICT}) and a message saying what to change.
   */
  public record Refusal(String reason, String message) {}

  private SpecRefusals() {}

  /**
   * The first reason to refuse {@code tunnel}, or empty.
   *
   * @param tunnels every Tunnel the operator knows (may include {@code tunnel} itself)
   */
  public static Optional<Refusal> first(
      Tunnel tunnel, ClusterRanges ranges, Collection<Node> nodes, Collection<Tunnel> tunnels) {
    TunnelSpec spec = tunnel.getSpec();
    if (spec == null) {
      return Optional.empty();
    }
    return remoteCidrs(spec, ranges)
        .or(() -> destinations(spec, ranges))
        .or(() -> address(spec, ranges))
        .or(() -> greKey(tunnel, ranges, nodes, tunnels));
  }

  /** The refusals that depend on this Tunnel and the cluster only, not on other Tunnels. */
  private static boolean clashesWithCluster(Tunnel tunnel, ClusterRanges ranges) {
    TunnelSpec spec = tunnel.getSpec();
    return remoteCidrs(spec, ranges).isPresent()
        || destinations(spec, ranges).isPresent()
        || address(spec, ranges).isPresent();
  }

  /**
   * SiteToSite: every node routes {@code remoteCIDRs} into the tunnel (no exclusions, unlike
   * Egress), and the far side may send from them. Any overlap with a cluster range therefore pulls
   * some of the cluster's own traffic (to pods, Services or nodes) out to the other site, and lets
   * the other site send with this cluster's addresses: wider or narrower, it is refused.
   */
  static Optional<Refusal> remoteCidrs(TunnelSpec spec, ClusterRanges ranges) {
    if (spec.getType() != TunnelType.SITE_TO_SITE || spec.getSiteToSite() == null) {
      return Optional.empty();
    }
    List<String> remote = spec.getSiteToSite().getRemoteCIDRs();
    for (int i = 0; remote != null && i < remote.size(); i++) {
      Optional<Cidr> cidr = parse(remote.get(i));
      Optional<ClusterRange> clash = cidr.flatMap(ranges::overlapping);
      if (clash.isPresent()) {
        return Optional.of(
            new Refusal(
                TunnelConditions.CLUSTER_RANGE_OVERLAP,
                "spec.siteToSite.remoteCIDRs["
                    + i
                    + "] "
                    + remote.get(i)
                    + " overlaps this cluster's "
                    + clash.get().description()
                    + ": traffic for it would leave the cluster through the tunnel; remove it or"
                    + " narrow it to the other site's ranges"));
      }
    }
    return Optional.empty();
  }

  /**
   * Egress: the agents take the cluster's ranges out of {@code destinations} (ClusterPlanner's
   * exclusions), so a destination that merely contains one ({@code 0.0.0.0/0}) is the normal case
   * and stays. A destination lying wholly inside an excluded range would never go through the
   * tunnel: the spec promises something that does not happen, so it is refused rather than silently
   * ignored. A Node's ExternalIP is not excluded by the agents, so traffic to it does go through
   * the tunnel: not refused.
   */
  static Optional<Refusal> destinations(TunnelSpec spec, ClusterRanges ranges) {
    if (spec.getType() != TunnelType.EGRESS || spec.getEgress() == null) {
      return Optional.empty();
    }
    List<String> destinations = spec.getEgress().getDestinations();
    for (int i = 0; destinations != null && i < destinations.size(); i++) {
      Optional<Cidr> cidr = parse(destinations.get(i));
      Optional<ClusterRange> inside = cidr.flatMap(ranges::egressExclusionContaining);
      if (inside.isPresent()) {
        return Optional.of(
            new Refusal(
                TunnelConditions.CLUSTER_RANGE_OVERLAP,
                "spec.egress.destinations["
                    + i
                    + "] "
                    + destinations.get(i)
                    + " lies inside this cluster's "
                    + inside.get().description()
                    + ": the agents keep cluster traffic out of egress tunnels, so nothing would"
                    + " go through the tunnel for it; remove it (a wider destination such as"
                    + " 0.0.0.0/0 is fine: the cluster's ranges are left out of it)"));
      }
    }
    return Optional.empty();
  }

  /**
   * The gateway puts both addresses of the inner /31 on its tunnel device: its kernel then sends
   * traffic for them into the tunnel, so an address a pod, Service or node has would be pulled away
   * from it on that node.
   */
  static Optional<Refusal> address(TunnelSpec spec, ClusterRanges ranges) {
    if (spec.getAddress() == null || spec.getAddress().isBlank()) {
      return Optional.empty();
    }
    AddressPair pair;
    try {
      pair = AddressPair.ofSpecAddress(spec.getAddress());
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // AddressInvalid, from the allocator
    }
    for (Cidr address : List.of(pair.local(), pair.peer())) {
      Optional<ClusterRange> clash = ranges.overlapping(address.host());
      if (clash.isPresent()) {
        return Optional.of(
            new Refusal(
                TunnelConditions.CLUSTER_RANGE_OVERLAP,
                "spec.address "
                    + spec.getAddress()
                    + (address.equals(pair.local()) ? "" : " (its peer " + address.ip() + ")")
                    + " is in this cluster's "
                    + clash.get().description()
                    + ": the gateway would route it into the tunnel; "
                    + (spec.getType() == TunnelType.SITE_TO_SITE
                        ? "choose a /31 outside the cluster's ranges and give the other"
                            + " cluster's Tunnel its other address"
                        : "choose one outside the cluster's ranges, or leave spec.address empty"
                            + " to get one from addressPool")));
      }
    }
    return Optional.empty();
  }

  /**
   * A gateway tells GRE tunnels apart by their RFC 2890 key: the userspace datapath has one socket
   * per transport, demultiplexed by key, and the kernel's GRE-in-UDP (FOU) lands in the same GRE
   * lookup as raw GRE. So two GRE-family Tunnels with the same effective key (or both without one)
   * cannot share a gateway node. Which nodes a Tunnel's gateway may be is only known at election
   * time, so any two whose candidate nodes intersect are taken to share. The newer Tunnel
   * (creationTimestamp, then namespace/name) is refused, never both: the older keeps working. An
   * older Tunnel refused for the cluster's ranges gets no gateway and holds no key.
   */
  static Optional<Refusal> greKey(
      Tunnel tunnel, ClusterRanges ranges, Collection<Node> nodes, Collection<Tunnel> others) {
    if (!greFamily(tunnel)) {
      return Optional.empty();
    }
    Long key = GreKeys.effective(tunnel);
    Set<String> mine = candidates(tunnel, nodes);
    if (mine.isEmpty()) {
      return Optional.empty();
    }
    return others.stream()
        .filter(o -> !sameTunnel(o, tunnel))
        .filter(SpecRefusals::greFamily)
        .filter(o -> AGE.compare(o, tunnel) < 0)
        .filter(o -> Objects.equals(GreKeys.effective(o), key))
        .filter(o -> !clashesWithCluster(o, ranges))
        .sorted(AGE)
        .map(o -> conflict(key, o, mine, candidates(o, nodes)))
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<Refusal> conflict(
      Long key, Tunnel older, Set<String> mine, Set<String> theirs) {
    Set<String> shared = new TreeSet<>(mine);
    shared.retainAll(theirs);
    if (shared.isEmpty()) {
      return Optional.empty();
    }
    String what = key == null ? "no GRE key (spec.peer.greKey)" : "GRE key " + key;
    String fix =
        key == null
            ? "set spec.peer.greKey here and on the far end"
            : "set another spec.peer.greKey here and on the far end";
    return Optional.of(
        new Refusal(
            TunnelConditions.GRE_KEY_CONFLICT,
            "Tunnel "
                + name(older)
                + " (older) already uses "
                + what
                + " and its gateway may be on "
                + String.join(", ", shared)
                + ", as this one's: a gateway tells GRE tunnels apart by their key; "
                + fix
                + ", or give the two spec.gateway.nodeSelector values that pick different"
                + " nodes"));
  }

  /** Oldest first; namespace/name breaks a tie (timestamps have one-second resolution). */
  static final Comparator<Tunnel> AGE =
      Comparator.comparing(
              (Tunnel t) -> Objects.requireNonNullElse(t.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(SpecRefusals::name);

  private static boolean greFamily(Tunnel t) {
    return t.getSpec() != null
        && (t.getSpec().getEncapsulation() == Encapsulation.GRE
            || t.getSpec().getEncapsulation() == Encapsulation.GRE_OVER_UDP);
  }

  private static boolean sameTunnel(Tunnel a, Tunnel b) {
    return name(a).equals(name(b));
  }

  private static String name(Tunnel t) {
    return t.getMetadata().getNamespace() + "/" + t.getMetadata().getName();
  }

  private static Set<String> candidates(Tunnel t, Collection<Node> nodes) {
    Map<String, String> selector =
        t.getSpec().getGateway() == null || t.getSpec().getGateway().getNodeSelector() == null
            ? Map.of()
            : t.getSpec().getGateway().getNodeSelector();
    return GatewayCandidates.matching(nodes, selector).stream()
        .map(NodeReadiness::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The CRD validates the shape; a value that still does not parse is not this check's job. */
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
}
