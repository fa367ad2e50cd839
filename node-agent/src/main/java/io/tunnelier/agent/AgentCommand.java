package io.tunnelier.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tunnelier.agent.apply.CniChain;
import io.tunnelier.agent.apply.GuardedNamespacesFile;
import io.tunnelier.agent.cluster.ClusterPlanSource;
import io.tunnelier.agent.cluster.ClusterView;
import io.tunnelier.agent.cluster.FileClusterView;
import io.tunnelier.agent.cluster.GatewayDuty;
import io.tunnelier.agent.cluster.Heartbeat;
import io.tunnelier.agent.cluster.InformerClusterView;
import io.tunnelier.agent.cluster.KubeHeartbeatLease;
import io.tunnelier.agent.peers.PeerHealth;
import io.tunnelier.agent.plan.Capabilities;
import io.tunnelier.agent.plan.NodeContext;
import io.tunnelier.agent.status.KubernetesStatusWriter;
import io.tunnelier.agent.status.LogStatusSink;
import io.tunnelier.agent.status.StatusSink;
import io.tunnelier.agent.tunnel.DatapathOpener;
import io.tunnelier.api.net.Cidr;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One per cluster node (DaemonSet, hostNetwork, NET_ADMIN + NET_RAW). */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Program this cluster node for every Tunnel: gateway, standby or member.")
final class AgentCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(AgentCommand.class);

  @Option(
      names = "--node-name",
      defaultValue = "${env:NODE_NAME}",
      description = "This node's name (default: $NODE_NAME, from the downward API).")
  String nodeName;

  @Option(
      names = "--cluster-cidr",
      split = ",",
      description =
          "CIDRs that never leave through an egress tunnel besides the Nodes' pod CIDRs and addresses, e.g. the service CIDR.")
  List<String> clusterCidrs = new ArrayList<>();

  @Option(
      names = "--vxlan-port",
      defaultValue = "" + NodeContext.DEFAULT_VXLAN_PORT,
      description = "UDP port of the intra-cluster VXLAN hop. Default ${DEFAULT-VALUE}.")
  int vxlanPort;

  @Option(
      names = "--cluster-file",
      description =
          "Read Tunnels, Nodes, Pods and key Secrets from this YAML file instead of the API server (tests, offline use); status goes to the log and --status-file.")
  Path clusterFile;

  @Option(
      names = "--status-min-interval",
      defaultValue = "5s",
      converter = RuntimeOptions.DurationConverter.class,
      description =
          "At most one status write per Tunnel this often (changes of conditions go out at once after it). Default ${DEFAULT-VALUE}.")
  Duration statusMinInterval;

  @Option(
      names = "--cni-hold",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1",
      description =
          "Keep the CNI plugin's holds (the chart's agent.cniHold): write the guarded namespaces to"
              + " --cni-hold-dir and the hold table, and release each new pod once programmed."
              + " Off: remove what an earlier run with it left. Default ${DEFAULT-VALUE}.")
  boolean cniHold;

  @Option(
      names = "--cni-hold-dir",
      defaultValue = "/var/lib/tunnelier/cni",
      description =
          "Where the guarded namespaces' file goes; the plugin's config names the same file."
              + " Default ${DEFAULT-VALUE}.")
  Path cniHoldDir;

  @Option(
      names = "--cni-conf-dir",
      description =
          "The node's CNI configuration directory (mounted): with --cni-hold the agent chains the"
              + " plugin into the runtime's configuration while a namespace is guarded, and takes it"
              + " out when none is (or when --cni-hold is off). Unset: the configuration is left alone.")
  Path cniConfDir;

  @Option(
      names = "--cni-bin-dir",
      defaultValue = "/host/opt/cni/bin",
      description =
          "The node's CNI plugin directory (mounted), with --cni-conf-dir. Default ${DEFAULT-VALUE}.")
  Path cniBinDir;

  @Option(
      names = "--cni-plugin",
      defaultValue = "/opt/tunnelier/cni/tunnelier-cni",
      description = "The plugin binary to install there. Default ${DEFAULT-VALUE}.")
  Path cniPlugin;

  @Option(
      names = "--heartbeat-interval",
      defaultValue = "1s",
      converter = RuntimeOptions.DurationConverter.class,
      description =
          "How often this node renews its heartbeat Lease while it is a Tunnel's gateway or standby"
              + " (the operator's gatewayHeartbeatInterval); the operator fails the gateway over"
              + " when renewals stop. Without a gateway duty it renews every 30s, which says the"
              + " agent is alive. 0s: no heartbeat (the agent then rewrites its status entries"
              + " to say so). Default ${DEFAULT-VALUE}.")
  Duration heartbeatInterval;

  @Option(
      names = "--heartbeat-namespace",
      defaultValue = "${env:POD_NAMESPACE}",
      description =
          "Where the heartbeat Lease lives: the agents' namespace (default: $POD_NAMESPACE).")
  String heartbeatNamespace;

  @Option(
      names = "--peer-health-interval",
      defaultValue = "1s",
      converter = RuntimeOptions.DurationConverter.class,
      description =
          "Tunnels with backup peers, on their gateway: how often each VPS is probed through its"
              + " own tunnel. Default ${DEFAULT-VALUE}.")
  Duration peerHealthInterval;

  @Option(
      names = "--peer-down-after",
      defaultValue = "3",
      description =
          "Probes lost in a row before a VPS counts as unhealthy and traffic fails over."
              + " Default ${DEFAULT-VALUE}.")
  int peerDownAfter;

  @Option(
      names = "--peer-up-after",
      defaultValue = "3",
      description =
          "Probes answered in a row before an unhealthy VPS counts as healthy again."
              + " Default ${DEFAULT-VALUE}.")
  int peerUpAfter;

  @Option(
      names = "--peer-failback-after",
      defaultValue = "10",
      description =
          "Probes answered in a row before traffic moves back to a VPS of higher priority; 0:"
              + " never while the VPS in use is healthy. Default ${DEFAULT-VALUE}.")
  int peerFailbackAfter;

  @Mixin RuntimeOptions options;

  /** Set by {@link Main#execute}. */
  DatapathOpener datapaths;

  /** The longest resync in agent mode: the operator's AgentSilence counts on a report a minute. */
  static final java.time.Duration MAX_RESYNC = java.time.Duration.ofMinutes(1);

  @Override
  public Integer call() throws Exception {
    CniChain chain =
        cniConfDir == null
            ? null
            : new CniChain(
                cniPlugin,
                cniBinDir,
                cniConfDir,
                cniHoldDir.resolve(GuardedNamespacesFile.NAME).toAbsolutePath());
    HostRuntime host = new HostRuntime(datapaths, cniHoldDir, cniHold, chain);
    if (options.cleanup) {
      return host.cleanup();
    }
    if (nodeName == null || nodeName.isBlank()) {
      System.err.println(
          "--node-name: required (or set NODE_NAME from the downward API: spec.nodeName)");
      return Main.EXIT_BAD_CONFIG;
    }
    if (clusterFile == null && options.resyncPeriod.compareTo(MAX_RESYNC) > 0) {
      // Each resync rewrites this node's status entry; the operator takes an entry older than
      // three minutes for a dead agent and moves the gateway away from it. (With --cluster-file
      // there is no operator reading it: any period will do.)
      System.err.println(
          "--resync-period: "
              + options.resyncPeriod.toSeconds()
              + "s is too long for agent mode, at most "
              + MAX_RESYNC.toSeconds()
              + "s: each resync refreshes this node's status entry, and the operator takes an"
              + " agent silent for 3 minutes as down");
      return Main.EXIT_BAD_CONFIG;
    }
    List<Cidr> cidrs = new ArrayList<>();
    for (String c : clusterCidrs) {
      try {
        if (!c.contains("/")) {
          throw new IllegalArgumentException("no prefix length");
        }
        cidrs.add(Cidr.parse(c));
      } catch (IllegalArgumentException e) {
        System.err.println("--cluster-cidr: '" + c + "' is not a CIDR: " + e.getMessage());
        return Main.EXIT_BAD_CONFIG;
      }
    }
    Capabilities caps = host.probe();
    ClusterView view;
    StatusSink status;
    KubernetesClient client = null;
    KubernetesStatusWriter writer = null;
    InformerClusterView informers = null;
    if (clusterFile != null) {
      view = new FileClusterView(clusterFile);
      status = new LogStatusSink();
    } else {
      client = new KubernetesClientBuilder().build();
      informers = new InformerClusterView(client, nodeName);
      view = informers;
      writer = new KubernetesStatusWriter(client, nodeName, statusMinInterval, heartbeatEnabled());
      status = writer;
    }
    PeerHealth peerHealth;
    try {
      if (peerHealthInterval.isZero() || peerHealthInterval.isNegative()) {
        throw new IllegalArgumentException("--peer-health-interval must be more than 0s");
      }
      peerHealth =
          new PeerHealth(new PeerHealth.Settings(peerDownAfter, peerUpAfter, peerFailbackAfter));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return Main.EXIT_BAD_CONFIG;
    }
    options.peerHealth = peerHealth;
    options.peerHealthInterval = peerHealthInterval;
    ClusterPlanSource source =
        new ClusterPlanSource(view, nodeName, caps, cidrs, vxlanPort, peerHealth::routedPeers);
    List<Runnable> onChange = new java.util.concurrent.CopyOnWriteArrayList<>();
    view.start(
        () -> {
          for (Runnable r : onChange) {
            r.run();
          }
        });
    view.awaitReady();
    Heartbeat heartbeat = startHeartbeat(client, informers);
    if (heartbeat != null) {
      // Its own hook, so it runs at once on SIGTERM: the main one first waits up to 10 s for the
      // loop's last pass, and a stopping agent must not vouch for its node meanwhile.
      Runtime.getRuntime().addShutdownHook(new Thread(heartbeat::close, "heartbeat-stop"));
    }
    KubernetesClient toClose = client;
    KubernetesStatusWriter writerToClose = writer;
    return host.runWithTrigger(
        nodeName,
        source,
        status,
        options,
        onChange,
        clusterFile != null,
        view,
        () -> {
          if (heartbeat != null) {
            heartbeat.close(); // the Lease is left to expire: the operator moves the gateway
          }
          if (writerToClose != null) {
            writerToClose.close(); // the last reports (a tunnel's state removed) before the client
          }
          if (toClose != null) {
            toClose.close();
          }
        });
  }

  /** Whether this agent renews a heartbeat Lease (in cluster mode). */
  private boolean heartbeatEnabled() {
    return !heartbeatInterval.isZero()
        && heartbeatNamespace != null
        && !heartbeatNamespace.isBlank();
  }

  /** The heartbeat, in cluster mode with an interval and a namespace; null otherwise. */
  private Heartbeat startHeartbeat(KubernetesClient client, InformerClusterView informers) {
    if (client == null || heartbeatInterval.isZero()) {
      return null;
    }
    if (!heartbeatEnabled()) {
      LOG.atWarn()
          .setMessage(
              "no heartbeat: --heartbeat-namespace is not set (nor $POD_NAMESPACE); a dead gateway"
                  + " node is noticed only when its Node turns NotReady")
          .log();
      return null;
    }
    String podName = System.getenv("POD_NAME");
    String podUid = System.getenv("POD_UID");
    KubeHeartbeatLease.Owner owner =
        podName == null || podName.isBlank() || podUid == null || podUid.isBlank()
            ? null
            : new KubeHeartbeatLease.Owner(podName, podUid);
    return Heartbeat.start(
        new KubeHeartbeatLease(
            client, heartbeatNamespace, nodeName, heartbeatInterval, owner, Clock.systemUTC()),
        () -> GatewayDuty.of(informers.tunnels(), nodeName),
        heartbeatInterval);
  }
}
