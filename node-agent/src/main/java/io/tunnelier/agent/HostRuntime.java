package io.tunnelier.agent;

import io.tunnelier.agent.apply.ApplyResult;
import io.tunnelier.agent.apply.CniChain;
import io.tunnelier.agent.apply.GuardedNamespacesFile;
import io.tunnelier.agent.apply.PodHoldSync;
import io.tunnelier.agent.apply.Reconciler;
import io.tunnelier.agent.kernel.CommandRunner;
import io.tunnelier.agent.kernel.IpRoute;
import io.tunnelier.agent.kernel.IpRoute2;
import io.tunnelier.agent.kernel.NetlinkConntrack;
import io.tunnelier.agent.kernel.ProcessRunner;
import io.tunnelier.agent.loop.AgentLoop;
import io.tunnelier.agent.loop.PlanSource;
import io.tunnelier.agent.metrics.AgentMetrics;
import io.tunnelier.agent.metrics.MetricsBinding;
import io.tunnelier.agent.metrics.MetricsServer;
import io.tunnelier.agent.nft.NftCli;
import io.tunnelier.agent.nft.NftHoldTable;
import io.tunnelier.agent.nft.Nftables;
import io.tunnelier.agent.peers.PeerHealthProber;
import io.tunnelier.agent.plan.Capabilities;
import io.tunnelier.agent.probe.KernelProbe;
import io.tunnelier.agent.status.FileStatusSink;
import io.tunnelier.agent.status.IcmpPeerProbe;
import io.tunnelier.agent.status.StatusSink;
import io.tunnelier.agent.tunnel.DatapathOpener;
import io.tunnelier.agent.tunnel.OpenDatapaths;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The real kernel behind the agent: iproute2, nft, the datapaths, the probe. */
final class HostRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(HostRuntime.class);

  final CommandRunner runner = new ProcessRunner(java.time.Duration.ofSeconds(30));
  final IpRoute ip = new IpRoute2(runner);
  final Nftables nft = new NftCli(runner);
  final OpenDatapaths datapaths;
  final Reconciler reconciler;

  HostRuntime(DatapathOpener opener) {
    this.datapaths = new OpenDatapaths(opener);
    this.reconciler = new Reconciler(ip, nft, datapaths, new NetlinkConntrack());
  }

  /**
   * A cluster node's: with the CNI plugin's holds ({@code enabled}) or, without them, removing what
   * an earlier run with them left in {@code holdDirectory} and nftables.
   */
  HostRuntime(DatapathOpener opener, Path holdDirectory, boolean holdsEnabled, CniChain chain) {
    this.datapaths = new OpenDatapaths(opener);
    PodHoldSync holds =
        new PodHoldSync(
            new NftHoldTable(runner),
            new GuardedNamespacesFile(holdDirectory),
            holdsEnabled,
            chain);
    this.reconciler = new Reconciler(ip, nft, datapaths, new NetlinkConntrack(), holds);
  }

  Capabilities probe() {
    return new KernelProbe(runner).probe();
  }

  int cleanup() {
    ApplyResult r = reconciler.cleanup();
    if (!r.ok()) {
      LOG.atError()
          .setMessage("cleanup incomplete")
          .addKeyValue("ipError", r.ipError())
          .addKeyValue("ipErrors", r.ipErrors().values())
          .addKeyValue("nftError", r.nftError())
          .log();
      return 1;
    }
    LOG.atInfo()
        .setMessage("cleanup done: nothing of the agent is left on this host")
        .addKeyValue("ipCommands", r.ipCommands().size())
        .addKeyValue("nftTableDeleted", r.nftApplied())
        .log();
    return 0;
  }

  /**
   * Runs the loop until SIGTERM/SIGINT; never closes datapaths on the way out (see docs).
   *
   * @param triggers the loop's trigger is added here, for sources that push changes (informers);
   *     they also run on SIGHUP
   * @param userTriggers whether those changes are a user's own (a configuration file written), so
   *     each reads the kernel as SIGHUP does; informer events are not
   */
  int runWithTrigger(
      String hostName,
      PlanSource source,
      StatusSink status,
      RuntimeOptions options,
      List<Runnable> triggers,
      boolean userTriggers,
      AutoCloseable... resources)
      throws IOException, InterruptedException {
    List<Runnable> onHup = List.copyOf(triggers);
    MetricsBinding binding =
        MetricsBinding.resolve(
            options.metricsAddress, options.standalone, System.getenv("HOST_IP"));
    AgentMetrics metrics = new AgentMetrics(binding.tunnelNames());
    StatusSink sink =
        options.statusFile == null ? status : both(status, new FileStatusSink(options.statusFile));
    AgentLoop loop =
        new AgentLoop(
            hostName,
            source,
            ip,
            reconciler,
            datapaths,
            sink,
            new IcmpPeerProbe(1000),
            metrics,
            options.resyncPeriod,
            Clock.systemUTC(),
            options.peerHealth,
            options.peerHealthInterval,
            new IcmpPeerProbe(PeerHealthProber.probeTimeoutMillis(options.peerHealthInterval)));
    MetricsServer server =
        options.metricsPort < 0
            ? null
            : new MetricsServer(
                new InetSocketAddress(binding.address(), options.metricsPort),
                metrics,
                loop::healthy);
    if (server != null) {
      LOG.atInfo()
          .setMessage("serving /metrics and /healthz")
          .addKeyValue("address", binding.address().getHostAddress())
          .addKeyValue("port", server.port())
          .addKeyValue("tunnelNames", binding.tunnelNames())
          .log();
    }
    triggers.add(userTriggers ? loop::triggerFullPass : loop::trigger);
    HeapTrim trim = HeapTrim.start();
    CountDownLatch done = new CountDownLatch(1);
    Signals.onHangUp(
        () -> {
          onHup.forEach(Runnable::run);
          loop.triggerFullPass();
        });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.atInfo().setMessage("stopping; the tunnels stay programmed").log();
                  loop.close();
                  if (trim != null) {
                    trim.close();
                  }
                  if (server != null) {
                    server.close();
                  }
                  for (AutoCloseable r : resources) {
                    try {
                      r.close();
                    } catch (Exception ignored) {
                      // shutting down
                    }
                  }
                  done.countDown();
                },
                "shutdown"));
    loop.start();
    done.await();
    return 0;
  }

  static StatusSink both(StatusSink a, StatusSink b) {
    return (key, entry) -> {
      a.report(key, entry);
      b.report(key, entry);
    };
  }
}
