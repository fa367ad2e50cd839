package io.tunnelier.agent.cluster;

import io.tunnelier.agent.plan.ClusterSnapshot;

/** The cluster as the agent sees it: informers in a cluster, a file in tests and dry runs. */
public interface ClusterView extends AutoCloseable {
  /** Starts watching; {@code onChange} runs after every relevant change. */
  void start(Runnable onChange) throws Exception;

  /** Blocks until the first full view is there (informers synced). */
  void awaitReady() throws Exception;

  ClusterSnapshot snapshot() throws Exception;

  @Override
  void close();
}
