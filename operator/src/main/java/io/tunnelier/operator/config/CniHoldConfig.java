package io.tunnelier.operator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The chart's {@code agent.cniHold}: whether the agents chain Tunnelier's CNI plugin into each
 * node's CNI configuration, so a new pod of a namespace with an Egress Tunnel is held until its
 * node's agent has programmed it, also while that agent is down (docs/how-it-works.md).
 *
 * @param enabled on by default (the kill switch's promise holds while an agent is down); off, the
 *     agents leave the cluster CNI's configuration alone
 * @param binDir the node's CNI plugin directory (the container runtime's {@code bin_dir})
 * @param confDir the node's CNI configuration directory (the runtime's {@code conf_dir})
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record CniHoldConfig(Boolean enabled, String binDir, String confDir) {
  public CniHoldConfig {
    enabled = enabled == null || enabled;
    binDir = binDir == null || binDir.isBlank() ? "/opt/cni/bin" : binDir;
    confDir = confDir == null || confDir.isBlank() ? "/etc/cni/net.d" : confDir;
    for (String dir : new String[] {binDir, confDir}) {
      if (!dir.startsWith("/") || dir.contains("..")) {
        throw new IllegalArgumentException(
            "agent.cniHold: '" + dir + "' is not an absolute directory on the node");
      }
    }
  }

  public static CniHoldConfig defaults() {
    return new CniHoldConfig(null, null, null);
  }
}
