package io.tunnelier.agent.loop;

import io.tunnelier.agent.kernel.Underlay;

/** Where the loop gets its plans: the cluster (informers or a file) or the standalone config. */
@FunctionalInterface
public interface PlanSource {
  /**
   * @param underlay the host's way out now (may be null)
   * @throws Exception when no plans can be made at all (the loop then changes nothing)
   */
  Plans plans(Underlay underlay) throws Exception;
}
