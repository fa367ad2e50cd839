package io.tunnelier.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tunnelier.api.Durations;
import io.tunnelier.operator.config.AgentConfig;
import io.tunnelier.operator.config.OperatorConfig;
import io.tunnelier.operator.config.OperatorConfigFile;
import io.tunnelier.operator.reconciler.OperatorSettings;
import io.tunnelier.operator.runtime.HealthServer;
import io.tunnelier.operator.runtime.TunnelierOperator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The operator's command line. */
@Command(
    name = "tunnelier-operator",
    mixinStandardHelpOptions = true,
    version = "tunnelier-operator 0.1.0",
    description = {
      "Reconciles Tunnels (tunnelier.io/v1alpha1): keys and peer-config Secrets, inner addresses,"
          + " gateway election, the tunnelier-node-agent DaemonSet, status.",
      "Connects to the cluster it runs in, or to the one KUBECONFIG names.",
      "Configuration keys: docs/operator.md."
    })
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Option(
      names = "--config",
      defaultValue = "/etc/tunnelier/operator.yaml",
      description = "Configuration file (YAML); missing: all defaults. Default: ${DEFAULT-VALUE}")
  Path config;

  @Option(
      names = "--namespace",
      defaultValue = "${env:POD_NAMESPACE:-tunnelier-system}",
      description =
          "Namespace of the operator: the node agent DaemonSet and the Lease live here."
              + " Default: $POD_NAMESPACE, else ${DEFAULT-VALUE}")
  String namespace;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port of /healthz, /readyz and /metrics. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(
      names = "--leader-election",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Hold a Lease while reconciling, so only one replica acts. Default: true")
  boolean leaderElection;

  @Option(
      names = "--lease-name",
      defaultValue = "tunnelier-operator",
      description = "Name of the Lease. Default: ${DEFAULT-VALUE}")
  String leaseName;

  @Option(names = "--agent-image", description = "Overrides agent.image of the configuration.")
  String agentImage;

  @Option(names = "--address-pool", description = "Overrides addressPool of the configuration.")
  String addressPool;

  @Option(
      names = "--site-to-site-address-pool",
      description = "Overrides siteToSiteAddressPool of the configuration.")
  String siteToSiteAddressPool;

  @Option(
      names = "--gateway-failover-after",
      description = "Overrides gatewayFailoverAfter of the configuration, e.g. 30s.")
  String gatewayFailoverAfter;

  @Option(
      names = "--finalizer-wait",
      description = "Overrides finalizerWait of the configuration, e.g. 60s.")
  String finalizerWait;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** The configuration file with the command line's overrides applied. */
  OperatorConfig effectiveConfig() {
    OperatorConfig cfg = OperatorConfigFile.read(config);
    if (agentImage != null) {
      AgentConfig agent = cfg.agent().withImage(agentImage);
      cfg = cfg.withAgent(agent);
    }
    if (addressPool != null || siteToSiteAddressPool != null) {
      // Both at once: moving both pools must not fail on the overlap of one new, one old.
      cfg =
          cfg.withAddressPools(
              addressPool != null ? addressPool : cfg.addressPool(),
              siteToSiteAddressPool != null ? siteToSiteAddressPool : cfg.siteToSiteAddressPool());
    }
    if (gatewayFailoverAfter != null) {
      cfg = cfg.withGatewayFailoverAfter(Durations.parse(gatewayFailoverAfter));
    }
    if (finalizerWait != null) {
      cfg = cfg.withFinalizerWait(Durations.parse(finalizerWait));
    }
    return cfg;
  }

  @Override
  public Integer call() throws InterruptedException {
    OperatorConfig cfg;
    try {
      cfg = effectiveConfig();
    } catch (IllegalArgumentException e) {
      LOG.atError().setMessage("invalid configuration").addKeyValue("error", e.getMessage()).log();
      return 2;
    }
    LOG.atInfo()
        .setMessage("starting")
        .addKeyValue("namespace", namespace)
        .addKeyValue("agentImage", cfg.agent().image())
        .addKeyValue("addressPool", cfg.addressPool())
        .addKeyValue("siteToSiteAddressPool", cfg.siteToSiteAddressPool())
        .addKeyValue("gatewayFailoverAfter", cfg.gatewayFailoverAfter())
        .addKeyValue("finalizerWait", cfg.finalizerWait())
        .addKeyValue("leaderElection", leaderElection)
        .log();
    KubernetesClient client = new KubernetesClientBuilder().build();
    TunnelierOperator operator =
        new TunnelierOperator(
            client,
            new OperatorSettings(cfg, namespace, Clock.systemUTC()),
            leaderElection ? leaseName : null,
            true);
    HealthServer health =
        new HealthServer(port, operator::started, operator::started, operator.registry());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  health.close();
                  operator.close();
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    operator.start();
    stopped.await();
    return 0;
  }
}
