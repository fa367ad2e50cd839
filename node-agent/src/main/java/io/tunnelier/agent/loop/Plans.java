package io.tunnelier.agent.loop;

import io.tunnelier.agent.plan.PodHolds;
import io.tunnelier.agent.plan.TunnelPlan;
import java.util.List;
import java.util.Set;

/**
 * What a source wants on this host now.
 *
 * @param deleting keys of Tunnels being deleted: once their state is gone the node reports
 *     StateRemoved for them
 * @param holds what the CNI plugin's holds should be on this host; null where there are none (a
 *     standalone VPS)
 */
public record Plans(List<TunnelPlan> plans, Set<String> deleting, PodHolds holds) {
  public Plans {
    plans = List.copyOf(plans);
    deleting = Set.copyOf(deleting);
  }

  public Plans(List<TunnelPlan> plans, Set<String> deleting) {
    this(plans, deleting, null);
  }
}
