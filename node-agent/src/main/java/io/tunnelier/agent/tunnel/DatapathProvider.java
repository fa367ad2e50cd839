package io.tunnelier.agent.tunnel;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathFactory;
import io.tunnelier.api.v1alpha1.NodeDatapath;

/**
 * A datapath implementation the registry can pick, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.tunnelier.agent.tunnel.DatapathProvider}): the kernel GRE and
 * WireGuard devices and the userspace datapath each register one.
 */
public interface DatapathProvider {
  /** Whether this provider opens {@code config} as the {@code datapath} kind (Kernel/Userspace). */
  boolean supports(NodeDatapath datapath, DatapathConfig config);

  DatapathFactory factory();
}
