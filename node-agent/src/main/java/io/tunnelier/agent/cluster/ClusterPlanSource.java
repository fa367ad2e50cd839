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
    for (Tunnel t : snapshot.tunnels()) {
      if (t.getMetadata().getDeletionTimestamp() != null) {
        deleting.add(ClusterPlanner.key(t));
      }
    }
    NodeContext ctx =
        new NodeContext(
            nodeName, underlay, capabilities, clusterCidrs, vxlanPort, activePeers.get());
    return new Plans(
        ClusterPlanner.plan(snapshot, ctx),
        deleting,
        PodHolds.of(snapshot, nodeName, clusterCidrs));
  }
}
