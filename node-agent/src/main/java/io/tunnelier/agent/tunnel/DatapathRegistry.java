package io.tunnelier.agent.tunnel;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.api.v1alpha1.NodeDatapath;
import java.io.IOException;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Opens a tunnel's datapath with the first provider that supports the chosen kind (Kernel or
 * Userspace, from {@link io.tunnelier.agent.plan.DatapathChoice}) and encapsulation.
 */
public final class DatapathRegistry implements DatapathOpener {
  private final List<DatapathProvider> providers;

  public DatapathRegistry(List<DatapathProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  /** The providers on the class path. */
  public static DatapathRegistry load() {
    return new DatapathRegistry(
        ServiceLoader.load(DatapathProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList());
  }

  @Override
  public Datapath open(NodeDatapath kind, DatapathConfig config) throws IOException {
    for (DatapathProvider p : providers) {
      if (p.supports(kind, config)) {
        return p.factory().open(config);
      }
    }
    String what =
        config instanceof DatapathConfig.Gre g ? (g.udp() ? "GREoverUDP" : "GRE") : "WireGuard";
    String kindName = kind == NodeDatapath.KERNEL ? "Kernel" : "Userspace";
    throw new IOException("this agent build has no " + kindName + " " + what + " datapath");
  }
}
