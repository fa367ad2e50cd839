package io.tunnelier.agent.cluster;

import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.agent.loop.PlanSource;
import io.tunnelier.agent.loop.Plans;
import io.tunnelier.agent.plan.Capabilities;
import io.tunnelier.agent.plan.ClusterPlanner;
import io.tunnelier.agent.plan.ClusterSnapshot;
import io.tunnelier.agent.plan.NodeContext;
import io.tunnelier.agent.plan.PodHolds;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** In-cluster mode's plan source: the cluster view, planned for this node. */
public final class ClusterPlanSource implements PlanSource {
  private final ClusterView view;
  private final String nodeName;
  private final Capabilities capabilities;
  private final List<Cidr> clusterCidrs;
  private final int vxlanPort;
  private final java.util.function.Supplier<java.util.Map<String, String>> activePeers;

  public ClusterPlanSource(
      ClusterView view,
      String nodeName,
      Capabilities capabilities,
      List<Cidr> clusterCidrs,
      int vxlanPort) {
    this(view, nodeName, capabilities, clusterCidrs, vxlanPort, java.util.Map::of);
  }

  /**
   * @param activePeers the peer each Tunnel with backup peers routes through, as this node's health
   *     checks chose it
   */
  public ClusterPlanSource(
      ClusterView view,
      String nodeName,
      Capabilities capabilities,
      List<Cidr> clusterCidrs,
      int vxlanPort,
      java.util.function.Supplier<java.util.Map<String, String>> activePeers) {
    this.activePeers = activePeers;
    this.view = view;
    this.nodeName = nodeName;
    this.capabilities = capabilities;
    this.clusterCidrs = List.copyOf(clusterCidrs);
    this.vxlanPort = vxlanPort;
  }

  @Override
  public Plans plans(Underlay underlay) throws Exception {
    ClusterSnapshot snapshot = view.snapshot();
    Set<String> deleting = new HashSet<>();
    Set<String> unplaced = new HashSet<>();
    for (Tunnel t : snapshot.tunnels()) {
      if (t.getMetadata().getDeletionTimestamp() != null) {
        deleting.add(ClusterPlanner.key(t));
      } else if (!placed(t)) {
        unplaced.add(ClusterPlanner.key(t));
      }
    }
    NodeContext ctx =
        new NodeContext(
            nodeName, underlay, capabilities, clusterCidrs, vxlanPort, activePeers.get());
    return new Plans(
        ClusterPlanner.plan(snapshot, ctx),
        deleting,
        PodHolds.of(snapshot, nodeName, clusterCidrs),
        unplaced);
  }

  /**
   * Whether the operator has placed the Tunnel: named its gateway, or observed a generation (it
   * wrote a status, with or without a gateway to name). A WireGuard Tunnel's first status, its
   * addresses alone, is not that yet.
   */
  static boolean placed(Tunnel t) {
    TunnelStatus s = t.getStatus();
    return s != null && (s.getActiveGateway() != null || s.getObservedGeneration() != null);
  }
}
