package io.tunnelier.agent.standin;

import io.tunnelier.agent.Main;
import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.kernel.ProcessRunner;
import io.tunnelier.agent.tunnel.DatapathOpener;
import io.tunnelier.api.v1alpha1.NodeDatapath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the GRE/WireGuard datapaths (they arrive on other branches) in *IT tests only: the
 * "tunnel" is a veth pair whose two ends carry the same name, one in this agent's network namespace
 * and one in the peer's ({@value #ENV} names the peer's namespace). Packets cross it
 * unencapsulated, which is all the agent's routing, NAT and kill switch need to be tested on the
 * real kernel. Deleting either end is "the tunnel is down". {@link #main} is the agent's main with
 * this stand-in for every datapath kind and encapsulation.
 */
public final class VethStandIn implements DatapathOpener {
  public static final String ENV = "TUNNELIER_STANDIN_PEER_NETNS";
  private final ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(10));
  private final String peerNetns;

  VethStandIn(String peerNetns) {
    this.peerNetns = peerNetns;
  }

  /** {@code node-agent} with the stand-in; {@value #ENV} names the peer's namespace. */
  public static void main(String[] args) {
    String peer = System.getenv(ENV);
    if (peer == null || peer.isBlank()) {
      System.err.println(ENV + ": required (the stand-in tunnel's peer namespace)");
      System.exit(Main.EXIT_BAD_CONFIG);
    }
    System.exit(Main.execute(args, new VethStandIn(peer)));
  }

  @Override
  public Datapath open(NodeDatapath kind, DatapathConfig config) throws IOException {
    String name = config.deviceName();
    int mtu = config.mtu() > 0 ? config.mtu() : 1400;
    if (runner.run(List.of("ip", "link", "show", "dev", name), null).exitCode() != 0) {
      runner.runOk(
          List.of(
              "ip", "link", "add", name, "mtu", "" + mtu, "type", "veth", "peer", "name", name,
              "netns", peerNetns, "mtu", "" + mtu),
          null);
    }
    return new Datapath() {
      @Override
      public String deviceName() {
        return name;
      }

      @Override
      public int mtu() {
        return mtu;
      }

      @Override
      public DatapathStats stats() {
        return new DatapathStats(
            counter(name, "rx_packets"),
            counter(name, "rx_bytes"),
            counter(name, "tx_packets"),
            counter(name, "tx_bytes"),
            Map.of(),
            null,
            null);
      }

      @Override
      public void close() {
        try {
          runner.run(List.of("ip", "link", "del", name), null);
        } catch (IOException ignored) {
          // already gone
        }
      }
    };
  }

  private static long counter(String dev, String name) {
    try {
      return Long.parseLong(
          Files.readString(Path.of("/sys/class/net", dev, "statistics", name)).strip());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
