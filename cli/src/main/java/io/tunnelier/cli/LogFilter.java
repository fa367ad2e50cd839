package io.tunnelier.cli;

import java.util.List;

/**
 * Keeps an agent's log lines about one Tunnel: those that name it ({@code tunnel=namespace/name},
 * as the agents log) or its devices ({@link TunnelDevice}).
 */
public final class LogFilter {
  private final List<String> needles;

  public LogFilter(String namespace, String name) {
    this.needles =
        List.of(
            namespace + "/" + name,
            TunnelDevice.deviceName(namespace, name),
            TunnelDevice.vxlanName(namespace, name));
  }

  public boolean keeps(String line) {
    return needles.stream().anyMatch(line::contains);
  }

  public List<String> filter(String log) {
    return log.lines().filter(this::keeps).toList();
  }
}
