package io.tunnelier.agent.plan;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What this node's agent wants of the CNI plugin's holds (cni-plugin/): the plugin puts a new pod
 * of a guarded namespace into the hold sets before any of its containers runs, and only the agent
 * takes it out, once the pass that knows the pod's address has programmed it (kill switch, routes).
 * So a pod started while the agent is down, or before its address reached the agent, sends nothing
 * beyond the cluster until then. Pure.
 *
 * @param guardedNamespaces namespaces with an Egress Tunnel whose kill switch is on: the plugin
 *     holds every new pod there, as only the agent can tell which ones a Tunnel selects
 * @param open where a held pod may still send: the cluster's own ranges (the Nodes' pod CIDRs and
 *     addresses, {@code --cluster-cidr})
 * @param programmed pod UID to its addresses, for the pods on this node the agent knows with their
 *     addresses (this pass programs each of them: selected or not)
 * @param unguardedAddresses addresses of this node's pods in other namespaces: a hold on one of
 *     them is left from an earlier pod with the same address
 */
public record PodHolds(
    SortedSet<String> guardedNamespaces,
    List<Cidr> open,
    Map<String, Set<String>> programmed,
    Set<String> unguardedAddresses) {
  public PodHolds {
    guardedNamespaces = new TreeSet<>(guardedNamespaces);
    open = List.copyOf(open);
    programmed = Map.copyOf(programmed);
    unguardedAddresses = Set.copyOf(unguardedAddresses);
  }

  public static PodHolds of(ClusterSnapshot snapshot, String nodeName, List<Cidr> clusterCidrs) {
    SortedSet<String> guarded = new TreeSet<>();
    for (Tunnel t : snapshot.tunnels()) {
      var spec = t.getSpec();
      if (spec == null
          || t.getMetadata().getDeletionTimestamp() != null
          || spec.getType() != TunnelType.EGRESS) {
        continue;
      }
      Boolean killSwitch = spec.getEgress() == null ? null : spec.getEgress().getKillSwitch();
      if (killSwitch == null || killSwitch) {
        guarded.add(t.getMetadata().getNamespace());
      }
    }
    Map<String, Set<String>> programmed = new HashMap<>();
    Set<String> unguarded = new HashSet<>();
    for (PodInfo p : snapshot.pods()) {
      if (!nodeName.equals(p.nodeName()) || !p.routable() || p.terminating()) {
        continue;
      }
      List<String> addresses = new ArrayList<>();
      addresses.add(Cidr.parseAddress(p.ip()).ip());
      p.ipv6().forEach(a -> addresses.add(Cidr.parseAddress(a).ip()));
      if (!guarded.contains(p.namespace())) {
        unguarded.addAll(addresses);
      } else if (p.uid() != null) {
        programmed.computeIfAbsent(p.uid(), k -> new HashSet<>()).addAll(addresses);
      }
    }
    return new PodHolds(
        guarded,
        Cidrs.collapse(ClusterPlanner.clusterRanges(snapshot.nodes(), clusterCidrs)),
        programmed,
        unguarded);
  }

  /** Whether the plugin has anything to hold: else the agent removes the holds altogether. */
  public boolean active() {
    return !guardedNamespaces.isEmpty();
  }

  /**
   * The holds to take out after a pass that programmed this state: those of pods the agent now
   * knows with that address, and those left on an address that now belongs to a pod of a namespace
   * the plugin does not hold. A hold for a pod the agent does not know yet (or knows without that
   * address) stays: that is the window it closes.
   */
  public List<HeldPod> releasable(List<HeldPod> held) {
    List<HeldPod> out = new ArrayList<>();
    for (HeldPod h : held) {
      Set<String> known = h.podUid() == null ? null : programmed.get(h.podUid());
      if ((known != null && known.contains(h.address()))
          || unguardedAddresses.contains(h.address())) {
        out.add(h);
      }
    }
    return out;
  }
}
