package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import java.util.List;

/**
 * The kill switch's cover for a selected pod bound to this node whose IP the agent does not know
 * yet: the kubelet may start its containers before the pod's {@code status.podIP} reaches the
 * agent, and the kill switch knows pods by IP. While such a pod exists, traffic to the Tunnel's
 * destinations from any address of this node's pod CIDRs that is not a pod the agent knows is
 * dropped like the kill switch drops: the new pod's with it, and, until the agent has seen them,
 * other new pods' on this node. Each family of the node's pod CIDRs gets its guard: a dual-stack
 * pod's IPv6 arrives with its IPv4, in the same {@code status.podIPs}.
 *
 * @param sources this node's pod CIDRs ({@code spec.podCIDRs}), both families
 * @param knownPods the IPs of the pods on this node, every namespace, that the agent knows, both
 *     families (link-local IPv6 left out)
 */
public record PendingPodGuard(List<Cidr> sources, List<Cidr> knownPods) {
  public PendingPodGuard {
    sources = List.copyOf(sources);
    knownPods = List.copyOf(knownPods);
  }
}
