package io.tunnelier.agent.tunnel.providers;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathFactory;
import io.tunnelier.agent.datapath.gre.UserspaceGreDatapathFactory;
import io.tunnelier.agent.tunnel.DatapathProvider;
import io.tunnelier.api.v1alpha1.NodeDatapath;

/**
 * GRE and GRE-in-UDP over a TUN device, in the agent's process. One factory per process: tunnels on
 * the same transport share one socket, demultiplexed by key.
 */
public final class UserspaceGreProvider implements DatapathProvider {
  private final UserspaceGreDatapathFactory factory = new UserspaceGreDatapathFactory();

  @Override
  public boolean supports(NodeDatapath datapath, DatapathConfig config) {
    return datapath == NodeDatapath.USERSPACE && config instanceof DatapathConfig.Gre;
  }

  @Override
  public DatapathFactory factory() {
    return factory;
  }
}
