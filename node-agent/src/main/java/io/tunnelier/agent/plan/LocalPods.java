package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pods bound to this node, every namespace, as far as the agent knows them: what a {@link
 * PendingPodGuard} lets through, both families. Pods that have finished or are being deleted are
 * left out: their IPs go (or went) back to the node's pool and may already belong to a pod the
 * agent has not seen (a pod object can outlive its sandbox by long, e.g. while no kubelet confirms
 * the deletion).
 */
record LocalPods(List<Cidr> podCidrs, List<Cidr> knownIps) {
  static LocalPods of(ClusterSnapshot snapshot, NodeInfo node, String nodeName) {
    List<Cidr> known = new ArrayList<>();
    for (PodInfo p : snapshot.pods()) {
      if (nodeName.equals(p.nodeName()) && !p.hostNetwork() && !p.finished() && !p.terminating()) {
        if (p.ip() != null && !p.ip().isBlank()) {
          known.addAll(Cidrs.of(IpFamily.IPV4, Cidrs.parseAll(List.of(p.ip()))));
        }
        // Link-local addresses never leave the link: the guard does not match them.
        Cidrs.of(IpFamily.IPV6, Cidrs.parseAll(p.ipv6())).stream()
            .filter(c -> !c.isLinkLocal())
            .forEach(known::add);
      }
    }
    List<Cidr> cidrs = node == null ? List.of() : Cidrs.parseAll(node.podCidrs());
    return new LocalPods(Cidrs.collapse(cidrs), known);
  }

  /** Empty when the Node has no pod CIDRs: the guard needs them to know what a pod's source is. */
  Optional<PendingPodGuard> guard() {
    return podCidrs.isEmpty()
        ? Optional.empty()
        : Optional.of(new PendingPodGuard(podCidrs, knownIps));
  }
}
