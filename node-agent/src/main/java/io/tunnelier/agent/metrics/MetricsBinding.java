package io.tunnelier.agent.metrics;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where {@code /metrics} and {@code /healthz} listen, and whether the metrics may name tunnels.
 *
 * <ul>
 *   <li>In a cluster the agent runs in the node's network namespace: by default it listens on the
 *       node's address ({@code $HOST_IP}, which the DaemonSet sets from the downward API {@code
 *       status.hostIP}), where Prometheus scrapes a host-network pod, and not on every other
 *       address of the node (0.0.0.0 only when that variable is missing).
 *   <li>Standalone, the host is a VPS facing the internet: loopback unless {@code
 *       --metrics-address} says otherwise.
 *   <li>A standalone agent listening beyond loopback labels tunnels by their device name (a hash,
 *       {@code tnl-7429cb44}), not by the cluster's namespace and Tunnel name, so a stranger who
 *       reaches the port learns nothing about the clusters it serves.
 * </ul>
 *
 * @param address the address to bind
 * @param tunnelNames whether metrics carry {@code namespace/name} of tunnels
 */
public record MetricsBinding(InetAddress address, boolean tunnelNames) {
  /** The default in a cluster when {@code $HOST_IP} is missing. */
  public static final String ANY = "0.0.0.0";

  /** The default standalone. */
  public static final String LOOPBACK = "127.0.0.1";

  /**
   * @param flag {@code --metrics-address}, or null/blank for the mode's default
   * @param standalone the standalone (VPS) mode rather than a cluster node
   * @param hostIp {@code $HOST_IP} (null when unset)
   */
  public static MetricsBinding resolve(String flag, boolean standalone, String hostIp)
      throws UnknownHostException {
    String chosen;
    if (flag != null && !flag.isBlank()) {
      chosen = flag.strip();
    } else if (standalone) {
      chosen = LOOPBACK;
    } else {
      chosen = hostIp != null && !hostIp.isBlank() ? hostIp.strip() : ANY;
    }
    // A literal address only: no name lookup decides what faces the network. (InetAddress parses
    // a string with a colon as an IPv6 literal and never looks it up.)
    boolean literal = chosen.matches("\\d{1,3}(\\.\\d{1,3}){3}") || chosen.contains(":");
    InetAddress address;
    try {
      if (!literal) {
        throw new UnknownHostException("not a literal");
      }
      address = InetAddress.getByName(chosen);
    } catch (UnknownHostException e) {
      throw new UnknownHostException(
          "--metrics-address: '" + chosen + "' is not an IPv4 or IPv6 address");
    }
    return new MetricsBinding(address, !standalone || address.isLoopbackAddress());
  }
}
