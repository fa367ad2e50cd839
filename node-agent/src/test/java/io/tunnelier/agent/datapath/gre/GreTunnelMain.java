package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.kernel.ProcessRunner;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs userspace GRE tunnels in the current network namespace until killed: the tool the *IT tests
 * and the benchmark start once per lab namespace ({@code ip netns exec ns java ... GreTunnelMain
 * --tunnel ...}), as the agent is one process per node. Prints {@code READY <device> mtu=<n>} per
 * tunnel once it is up, a {@code STATS} line per tunnel every {@code --stats-interval} and on exit.
 *
 * <pre>
 * --tunnel device=tnl0,mode=raw|udp,local=192.0.2.1[,localPort=4754],peer=192.0.2.2[:4754],
 *          key=42[,sequence][,checksum][,mtu=1400][,address=100.64.0.1/30]
 * </pre>
 */
@Command(
    name = "gre-tunnel",
    mixinStandardHelpOptions = true,
    description = "Userspace GRE / GRE-in-UDP tunnels over TUN, in this network namespace.")
public final class GreTunnelMain implements Callable<Integer> {
  @Option(
      names = "--tunnel",
      required = true,
      description =
          "device=NAME,mode=raw|udp,local=IP[,localPort=N],peer=IP[:PORT],key=N[,sequence]"
              + "[,checksum][,mtu=N][,address=CIDR]; repeat for tunnels sharing a socket")
  List<String> tunnels = new ArrayList<>();

  @Option(names = "--no-offloads", description = "one system call per packet (no TSO/GSO/GRO)")
  boolean noOffloads;

  @Option(names = "--stats-interval", description = "seconds between STATS lines, 0: on exit only")
  int statsInterval;

  @Option(names = "--exit-after", description = "seconds until it stops by itself (0: never)")
  int exitAfter;

  public static void main(String[] args) {
    System.exit(new CommandLine(new GreTunnelMain()).execute(args));
  }

  /** A {@code --tunnel} value as a datapath config plus the inner address to assign. */
  record TunnelSpec(DatapathConfig.Gre config, String address) {
    static TunnelSpec parse(String spec) {
      Map<String, String> kv = new LinkedHashMap<>();
      for (String part : spec.split(",")) {
        int eq = part.indexOf('=');
        kv.put(eq < 0 ? part : part.substring(0, eq), eq < 0 ? "true" : part.substring(eq + 1));
      }
      String mode = kv.getOrDefault("mode", "raw");
      if (!mode.equals("raw") && !mode.equals("udp")) {
        throw new IllegalArgumentException("mode: raw or udp, got " + mode);
      }
      DatapathConfig.Gre config =
          new DatapathConfig.Gre(
              kv.get("device"),
              Integer.parseInt(kv.getOrDefault("mtu", "0")),
              mode.equals("udp"),
              kv.containsKey("local") ? address(kv.get("local")) : null,
              Integer.parseInt(kv.getOrDefault("localPort", "0")),
              kv.containsKey("peer") ? address(kv.get("peer")) : null,
              kv.containsKey("key") ? Long.parseLong(kv.get("key")) : null,
              Boolean.parseBoolean(kv.getOrDefault("sequence", "false")),
              Boolean.parseBoolean(kv.getOrDefault("checksum", "false")));
      return new TunnelSpec(config, kv.get("address"));
    }

    private static InetSocketAddress address(String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      if (colon > 0 && hostPort.indexOf(':') == colon) {
        return new InetSocketAddress(
            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
      }
      return new InetSocketAddress(hostPort.replace("[", "").replace("]", ""), 0);
    }
  }

  @Override
  public Integer call() throws Exception {
    UserspaceGreDatapathFactory factory =
        new UserspaceGreDatapathFactory(
            new LinuxGrePlatform(),
            new UserspaceGreDatapathFactory.Options(
                !noOffloads, UserspaceGreDatapathFactory.Options.defaults().senders()));
    List<Datapath> open = new ArrayList<>();
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              synchronized (open) {
                open.forEach(d -> printStats(d));
                open.forEach(Datapath::close);
              }
            });
    Runtime.getRuntime().addShutdownHook(hook);
    for (String t : tunnels) {
      TunnelSpec spec = TunnelSpec.parse(t);
      Datapath datapath = factory.open(spec.config());
      synchronized (open) {
        open.add(datapath);
      }
      if (spec.address() != null) {
        ip("addr", "add", spec.address(), "dev", datapath.deviceName());
      }
      System.out.println("READY " + datapath.deviceName() + " mtu=" + datapath.mtu());
      System.out.flush();
    }
    long deadline = exitAfter > 0 ? System.nanoTime() + Duration.ofSeconds(exitAfter).toNanos() : 0;
    while (!stop.await(statsInterval > 0 ? statsInterval : 1, TimeUnit.SECONDS)) {
      if (statsInterval > 0) {
        synchronized (open) {
          open.forEach(GreTunnelMain::printStats);
        }
      }
      if (deadline != 0 && System.nanoTime() > deadline) {
        break;
      }
    }
    return 0;
  }

  static void printStats(Datapath d) {
    DatapathStats s = d.stats();
    System.out.println(
        "STATS "
            + d.deviceName()
            + " rxPackets="
            + s.rxPackets()
            + " rxBytes="
            + s.rxBytes()
            + " txPackets="
            + s.txPackets()
            + " txBytes="
            + s.txBytes()
            + " peer="
            + s.peerEndpoint()
            + " drops="
            + new java.util.TreeMap<>(s.drops())
            + (d instanceof GreDatapath g ? " io=" + g.ioCounters() : ""));
    System.out.flush();
  }

  private static void ip(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("ip"));
    argv.addAll(List.of(args));
    new ProcessRunner(Duration.ofSeconds(10)).runOk(argv);
  }
}
