package io.tunnelier.agent.tunnel.providers;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathFactory;
import io.tunnelier.agent.datapath.gre.KernelGreDatapathFactory;
import io.tunnelier.agent.tunnel.DatapathProvider;
import io.tunnelier.api.v1alpha1.NodeDatapath;

/** The kernel's {@code gre} device, where the node has the ip_gre module. */
public final class KernelGreProvider implements DatapathProvider {
  private final KernelGreDatapathFactory factory = new KernelGreDatapathFactory();

  @Override
  public boolean supports(NodeDatapath datapath, DatapathConfig config) {
    return datapath == NodeDatapath.KERNEL && config instanceof DatapathConfig.Gre;
  }

  @Override
  public DatapathFactory factory() {
    return factory;
  }
}
