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
 * @param unplaced keys of planned Tunnels the operator has not placed yet (no gateway named, no
 *     generation observed): programmed, so a kill switch is there from the first pass, but not
 *     reported. An entry written before the roles are known says "not needed" on the node about to
 *     be named gateway, is rewritten at once, and the rate limit holds that second write back by up
 *     to {@code --status-min-interval}.
 */
public record Plans(
    List<TunnelPlan> plans, Set<String> deleting, PodHolds holds, Set<String> unplaced) {
  public Plans {
    plans = List.copyOf(plans);
    deleting = Set.copyOf(deleting);
    unplaced = Set.copyOf(unplaced);
  }

  public Plans(List<TunnelPlan> plans, Set<String> deleting, PodHolds holds) {
    this(plans, deleting, holds, Set.of());
  }

  public Plans(List<TunnelPlan> plans, Set<String> deleting) {
    this(plans, deleting, null);
  }
}
