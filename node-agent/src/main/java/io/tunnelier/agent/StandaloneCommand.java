package io.tunnelier.agent;

import io.tunnelier.agent.plan.Capabilities;
import io.tunnelier.agent.standalone.StandaloneConfigSource;
import io.tunnelier.agent.status.LogStatusSink;
import io.tunnelier.agent.tunnel.DatapathOpener;
import io.tunnelier.api.peerconfig.InvalidStandaloneConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The VPS (or remote site) end: the same loop, from the peer.yaml the operator renders. */
@Command(
    name = "standalone",
    mixinStandardHelpOptions = true,
    description =
        "Run the far end of tunnels from a config file (the operator's <name>-peer-config peer.yaml), without Kubernetes. SIGHUP or a changed file re-reads it.")
final class StandaloneCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneCommand.class);
  private static final Path UTS_NAME = Path.of("/proc/sys/kernel/hostname");

  @Option(
      names = "--config",
      description = "The standalone config (peer.yaml); required unless --cleanup.")
  Path config;

  @Option(
      names = "--enable-ip-forward",
      description =
          "Set net.ipv4.ip_forward=1 and net.ipv6.conf.all.forwarding=1 in this network namespace at start. Without it the agent only warns when forwarding is off: on a real host the admin enables it (for IPv6 with accept_ra=2 where the host learns its default route from router advertisements, which forwarding would otherwise ignore).")
  boolean enableIpForward;

  @Mixin RuntimeOptions options;

  /** Set by {@link Main#execute}. */
  DatapathOpener datapaths;

  @Override
  public Integer call() throws Exception {
    HostRuntime host = new HostRuntime(datapaths);
    if (options.cleanup) {
      return host.cleanup();
    }
    if (config == null) {
      System.err.println("--config: required: the standalone config (peer.yaml)");
      return Main.EXIT_BAD_CONFIG;
    }
    boolean ipv6;
    try {
      ipv6 =
          StandaloneConfigSource.read(config).getTunnels().stream()
              .anyMatch(t -> t.getAddress6() != null);
    } catch (InvalidStandaloneConfigException e) {
      System.err.println(e.getMessage());
      return Main.EXIT_BAD_CONFIG;
    } catch (java.io.IOException e) {
      System.err.println("cannot read " + config + ": " + e.getMessage());
      return Main.EXIT_BAD_CONFIG;
    }
    forwarding(ipv6);
    Capabilities caps = host.probe();
    StandaloneConfigSource source = new StandaloneConfigSource(config, caps);
    source.load();
    // A changed file is picked up within a second (SIGHUP does the same at once).
    List<Runnable> triggers = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.ScheduledExecutorService watch =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("config-watch"));
    watch.scheduleWithFixedDelay(
        () -> {
          if (source.changed()) {
            triggers.forEach(Runnable::run);
          }
        },
        1,
        1,
        java.util.concurrent.TimeUnit.SECONDS);
    triggers.add(source::reload);
    options.standalone = true;
    return host.runWithTrigger(
        hostName(UTS_NAME),
        source,
        new LogStatusSink(),
        options,
        triggers,
        true,
        watch::shutdownNow);
  }

  /**
   * This host's name as gethostname(2) returns it (the UTS name), read without a DNS lookup. {@code
   * InetAddress.getLocalHost()} resolves the name, and where the resolver does not answer (a VPS
   * still bringing its network up, a container without one) that held the agent's start for the
   * resolver's timeouts: 6 s with one nameserver in a container, before any tunnel came up.
   */
  static String hostName(Path utsName) {
    try {
      String name = Files.readString(utsName).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (java.io.IOException e) {
      // no /proc (not Linux): the name is only a label in logs and status
    }
    return "standalone";
  }

  /** Forwarding of IPv4, and of IPv6 when a tunnel carries it (peer.yaml's address6). */
  private void forwarding(boolean ipv6) throws java.io.IOException {
    forwarding(Path.of("/proc/sys/net/ipv4/ip_forward"), "net.ipv4.ip_forward");
    if (ipv6) {
      forwarding(Path.of("/proc/sys/net/ipv6/conf/all/forwarding"), "net.ipv6.conf.all.forwarding");
      ipv6OnNewDevices(Path.of("/proc/sys/net/ipv6/conf/default/disable_ipv6"));
    }
  }

  /**
   * Docker sets {@code net.ipv6.conf.default.disable_ipv6=1} in a container's own network namespace
   * (not with --network host): the tunnel device, created later, then refuses its IPv6 address.
   * /proc/sys is read-only there, so the agent can only say what to change.
   */
  private static void ipv6OnNewDevices(Path sysctl) throws java.io.IOException {
    if (Files.isReadable(sysctl) && Files.readString(sysctl).strip().equals("1")) {
      LOG.atWarn()
          .setMessage(
              "net.ipv6.conf.default.disable_ipv6 is 1: the tunnel device will have no IPv6, so"
                  + " address6 cannot be set and the tunnel carries no IPv6; set it to 0 (in a"
                  + " container of its own network namespace: docker run --sysctl"
                  + " net.ipv6.conf.default.disable_ipv6=0)")
          .log();
    }
  }

  private void forwarding(Path sysctl, String name) throws java.io.IOException {
    if (!Files.exists(sysctl)) {
      return;
    }
    if (enableIpForward) {
      Files.writeString(sysctl, "1\n");
      LOG.atInfo().setMessage("enabled " + name + " in this network namespace").log();
    } else if (Files.isReadable(sysctl) && Files.readString(sysctl).strip().equals("0")) {
      LOG.atWarn()
          .setMessage(
              name
                  + " is 0: this host will not forward tunnel traffic of that family; enable it"
                  + " (sysctl -w "
                  + name
                  + "=1) or pass --enable-ip-forward")
          .log();
    }
  }
}
