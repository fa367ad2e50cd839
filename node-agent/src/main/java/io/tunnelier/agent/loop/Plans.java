package io.tunnelier.agent.loop;

import io.tunnelier.agent.plan.TunnelPlan;
import java.util.List;
import java.util.Set;

/**
 * What a source wants on this host now.
 *
 * @param deleting keys of Tunnels being deleted: once their state is gone the node reports
 *     StateRemoved for them
 */
public record Plans(List<TunnelPlan> plans, Set<String> deleting) {
  public Plans {
    plans = List.copyOf(plans);
    deleting = Set.copyOf(deleting);
  }
}
