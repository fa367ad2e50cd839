package io.tunnelier.e2e.cluster;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.k8s.TunnelCrd;
import io.tunnelier.e2e.lab.ApiServerBridge;
import io.tunnelier.e2e.lab.ClusterLab;
import io.tunnelier.operator.config.OperatorConfig;
import io.tunnelier.operator.config.OperatorConfigFile;
import io.tunnelier.operator.reconciler.OperatorSettings;
import io.tunnelier.operator.runtime.TunnelierOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Tunnelier installed on a lab cluster, the way a user installs it: the Helm chart into the real
 * API server (ServiceAccounts, RBAC, the operator's ConfigMap), the operator running as the chart's
 * ServiceAccount with the chart's configuration, one agent process per lab node started with the
 * arguments and environment of the DaemonSet the operator created (as the chart's agent
 * ServiceAccount, through {@link ApiServerBridge}), and the VPS running the standalone agent from
 * the {@code <name>-peer-config} Secret. The agents run the real datapaths from the packaged {@code
 * node-agent.jar}.
 *
 * <p>The API server is shared by the test JVM: every name here is unique per cluster and {@link
 * #close()} removes what it created (release, namespaces, Nodes), also on failure.
 */
public final class TunnelierCluster implements AutoCloseable {
  public static final String AGENT_SA = "tunnelier-node-agent";
  public static final String OPERATOR_SA = "tunnelier-operator";
  private static final Duration WAIT = Duration.ofSeconds(90);

  /**
   * How the cluster runs its components.
   *
   * @param operatorProcess run the operator as its own JVM (from {@code operator.jar}, with the
   *     Deployment's arguments, inside a lab namespace of its own that reaches the API server the
   *     way the nodes do) instead of inside the test JVM: for measuring it (RSS), at the cost of a
   *     JVM start
   * @param agentJvm JVM options of every agent process
   * @param operatorJvm JVM options of the operator process
   * @param productionLoops keep the chart's defaults for the agents' resync period and status
   *     interval (benchmarks: the API requests a real installation makes) instead of the quicker
   *     loops tests wait on
   */
  public record Options(
      boolean operatorProcess,
      List<String> agentJvm,
      List<String> operatorJvm,
      boolean productionLoops) {
    public static Options defaults() {
      return new Options(false, List.of("-Xmx192m"), List.of(), false);
    }
  }

  private final ControlPlane controlPlane;
  private final ClusterLab lab;
  private final Options options;
  private final KubernetesClient admin;
  private final LabKubelet kubelet;
  private final String id = UUID.randomUUID().toString().substring(0, 6);
  private final String release = "tnl-" + id;
  private final String systemNamespace = "tunnelier-" + id;
  private final List<String> namespaces = new ArrayList<>();
  private final Map<String, Process> agents = new LinkedHashMap<>();
  private final Map<String, AgentLaunch> launches = new LinkedHashMap<>();
  private final List<String> gateways;
  private ApiServerBridge bridge;
  private KubernetesClient operatorClient;
  private TunnelierOperator operator;
  private Process operatorProcess;
  private Netns operatorNetns;
  private String operatorPort = "8080";
  private Process vpsAgent;
  private Process vps2Agent;
  private Path vpsConfig;

  /** How a node's agent was started: what {@link #restartAgent} starts again. */
  private record AgentLaunch(Netns ns, Map<String, String> env, List<String> args) {}

  private TunnelierCluster(
      ControlPlane controlPlane, ClusterLab lab, List<String> gateways, Options options) {
    this.controlPlane = controlPlane;
    this.lab = lab;
    this.options = options;
    this.admin = controlPlane.adminClient();
    this.kubelet = new LabKubelet(admin);
    this.gateways = List.copyOf(gateways);
  }

  /**
   * Installs Tunnelier on {@code lab}: CRD, chart, Nodes (the {@code gateways} labelled {@code
   * tunnelier.io/gateway=true}), the operator. Agents start with {@link #startAgents()} once a
   * Tunnel made the operator create the DaemonSet.
   */
  public static TunnelierCluster install(
      ControlPlane controlPlane, ClusterLab lab, List<String> gateways) {
    return install(controlPlane, lab, gateways, Options.defaults());
  }

  /** {@link #install(ControlPlane, ClusterLab, List)} with other {@link Options}. */
  public static TunnelierCluster install(
      ControlPlane controlPlane, ClusterLab lab, List<String> gateways, Options options) {
    TunnelierCluster cluster = new TunnelierCluster(controlPlane, lab, gateways, options);
    try {
      cluster.installChartAndOperator();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private void installChartAndOperator() {
    TunnelCrd.install(admin);
    com.marcnuri.helm.InstallCommand helm =
        new Helm(repoRoot().resolve("charts/tunnelier"))
            .install()
            .withName(release)
            .withNamespace(systemNamespace)
            .createNamespace()
            .withKubeConfig(controlPlane.kubeconfig());
    if (!options.productionLoops()) {
      // Quicker loops than production's defaults, passed as a user would: through the chart.
      helm.set("agent.extraArgs[0]", "--resync-period=5s")
          .set("agent.extraArgs[1]", "--status-min-interval=1s");
    }
    helm
        // Not the default, so the lab's agents listen where the chart value sends them (each in
        // its node's namespace; TunnelFilterIT finds the port with ss).
        .set("agent.metricsPort", 9465)
        .set("gatewayFailoverAfter", "15s")
        .set("finalizerWait", "60s")
        .call();
    JvmSignals.reclaim();
    for (ClusterLab.LabNode node : lab.nodes()) {
      kubelet.register(node, gateways.contains(node.name()));
    }
    String operatorName = release + "-tunnelier-operator";
    String configYaml =
        admin
            .configMaps()
            .inNamespace(systemNamespace)
            .withName(operatorName)
            .get()
            .getData()
            .get("operator.yaml");
    OperatorConfig config = OperatorConfigFile.parse(configYaml);
    Deployment deployment =
        admin.apps().deployments().inNamespace(systemNamespace).withName(operatorName).get();
    String leaseName =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().stream()
            .filter(a -> a.startsWith("--lease-name="))
            .map(a -> a.substring("--lease-name=".length()))
            .findFirst()
            .orElse(operatorName);
    bridge = ApiServerBridge.start(controlPlane.url(), bridgeDirectory());
    if (options.operatorProcess()) {
      startOperatorProcess(configYaml, deployment);
      return;
    }
    operatorClient = controlPlane.clientFor(systemNamespace, OPERATOR_SA);
    operator =
        new TunnelierOperator(
            operatorClient,
            new OperatorSettings(config, systemNamespace, Clock.systemUTC()),
            leaseName,
            false);
    operator.start();
  }

  /**
   * The operator as its Deployment runs it: {@code operator.jar} with the container's arguments
   * (its config file from the chart's ConfigMap), POD_NAMESPACE, and the operator ServiceAccount's
   * credentials, in a namespace of its own.
   */
  private void startOperatorProcess(String configYaml, Deployment deployment) {
    Netns ns = lab.lab().netns("operator");
    bridge.attach(ns, log("bridge-operator").toFile());
    Path config = lab.workDir().resolve("operator.yaml");
    try {
      Files.writeString(config, configYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>();
    command.add("env");
    command.add("POD_NAMESPACE=" + systemNamespace);
    command.add(
        "KUBECONFIG="
            + controlPlane.kubeconfigFor(
                systemNamespace, OPERATOR_SA, ApiServerBridge.IN_NODE_URL));
    command.add(AgentJava.binary()); // the operator image ships the same Java as the agent's
    command.addAll(options.operatorJvm());
    command.addAll(List.of("-jar", repoRoot().resolve("operator/target/operator.jar").toString()));
    for (String arg :
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()) {
      command.add(arg.startsWith("--config=") ? "--config=" + config : arg);
      if (arg.startsWith("--port=")) {
        operatorPort = arg.substring("--port=".length());
      }
    }
    operatorProcess = ns.spawn(log("operator").toFile(), command.toArray(String[]::new));
    operatorNetns = ns;
  }

  /**
   * The operator's {@code /metrics} (Prometheus text): from its registry in this JVM, or from its
   * port inside its namespace when it runs as a process; null when that could not be read.
   */
  public String operatorMetrics() {
    if (operator != null) {
      return operator.registry().scrape();
    }
    if (operatorNetns == null) {
      return null;
    }
    var r =
        operatorNetns.exec(
            Duration.ofSeconds(10),
            "curl",
            "-sf",
            "--max-time",
            "5",
            "http://127.0.0.1:" + operatorPort + "/metrics");
    return r.exitCode() == 0 ? r.stdout() : null;
  }

  /** The operator's process when it runs as one ({@link Options#operatorProcess()}), else null. */
  public Process operatorProcess() {
    return operatorProcess;
  }

  /** The agent process of a lab node, or null. */
  public Process agentProcess(String node) {
    return agents.get(node);
  }

  /** The VPS's standalone agent process, or null. */
  public Process vpsProcess() {
    return vpsAgent;
  }

  /** Creates a namespace for Tunnels and pods; removed on close. */
  public String namespace(String prefix) {
    String name = prefix + "-" + id;
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    namespaces.add(name);
    return name;
  }

  /** Adds a lab pod and reports it running, as the kubelet would. */
  public ClusterLab.LabPod runPod(
      String namespace, String node, String name, Map<String, String> labels) {
    ClusterLab.LabPod pod = lab.addPod(node, name, labels);
    kubelet.run(namespace, pod);
    return pod;
  }

  /**
   * A pod bound to {@code node} and nothing more: its Pod object, without a sandbox or status. The
   * lab "kubelet" then sets up the sandbox ({@link ClusterLab#addPod}) and reports its IP ({@link
   * LabKubelet#reportRunning}) when the test says so.
   */
  public void bindPod(String namespace, String node, String name, Map<String, String> labels) {
    kubelet.bind(namespace, name, node, labels);
  }

  /** Applies a Tunnel from examples/ (or any file) into {@code namespace}. */
  public Tunnel applyExample(String example, String namespace) {
    return apply(loadExample(example, namespace));
  }

  /** Reads a Tunnel from examples/ for {@code namespace}, without applying it. */
  public Tunnel loadExample(String example, String namespace) {
    try {
      Tunnel tunnel =
          Serialization.unmarshal(
              Files.readString(repoRoot().resolve("examples").resolve(example)), Tunnel.class);
      tunnel.getMetadata().setNamespace(namespace);
      return tunnel;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Tunnel apply(Tunnel tunnel) {
    return admin.resource(tunnel).create();
  }

  public Tunnel tunnel(String namespace, String name) {
    return admin.resources(Tunnel.class).inNamespace(namespace).withName(name).get();
  }

  /**
   * The Tunnel's {@code status.publicKey} once the operator has written it (the site-to-site
   * example's manual step: it goes into the other side's {@code spec.peer.publicKey}).
   */
  public String publicKeyOf(Tunnel t) {
    String ns = t.getMetadata().getNamespace();
    String name = t.getMetadata().getName();
    Tunnel withKey =
        admin
            .resources(Tunnel.class)
            .inNamespace(ns)
            .withName(name)
            .waitUntilCondition(
                x -> x != null && x.getStatus() != null && x.getStatus().getPublicKey() != null,
                WAIT.toSeconds(),
                TimeUnit.SECONDS);
    return withKey.getStatus().getPublicKey();
  }

  /** Sets the Tunnel's {@code spec.peer.publicKey}, as a user pasting the other side's key. */
  public void setPeerPublicKey(Tunnel t, String key) {
    admin
        .resources(Tunnel.class)
        .inNamespace(t.getMetadata().getNamespace())
        .withName(t.getMetadata().getName())
        .edit(
            x -> {
              x.getSpec().getPeer().setPublicKey(key);
              return x;
            });
  }

  /**
   * Starts one agent per lab node, as the DaemonSet's pods would run there: its container's
   * arguments, NODE_NAME from the downward API, the agent ServiceAccount's credentials.
   */
  public void startAgents() {
    DaemonSet daemonSet =
        admin
            .apps()
            .daemonSets()
            .inNamespace(systemNamespace)
            .withName("tunnelier-node-agent")
            .waitUntilCondition(d -> d != null, WAIT.toSeconds(), TimeUnit.SECONDS);
    var container = daemonSet.getSpec().getTemplate().getSpec().getContainers().get(0);
    for (ClusterLab.LabNode node : lab.nodes()) {
      if (agents.containsKey(node.name())) {
        continue;
      }
      // A token bound to the agent's pod on this node, as the kubelet gives it: the chart's
      // admission policy lets an agent write only the status entry of the node its token names.
      Path kubeconfig =
          controlPlane.kubeconfigForPodOn(
              systemNamespace, AGENT_SA, node.name(), ApiServerBridge.IN_NODE_URL);
      bridge.attach(node.ns(), log("bridge-" + node.name()).toFile());
      // The downward API, from the Pod the token is bound to (HOST_IP stays unset: the lab's
      // agents listen where --metrics-address says).
      Pod pod =
          admin.pods().inNamespace(systemNamespace).withName(AGENT_SA + "-" + node.name()).get();
      Map<String, String> downward =
          Map.of(
              "spec.nodeName", node.name(),
              "metadata.namespace", systemNamespace,
              "metadata.name", pod.getMetadata().getName(),
              "metadata.uid", pod.getMetadata().getUid());
      Map<String, String> env = new LinkedHashMap<>();
      for (EnvVar var : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
        if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
          String value = downward.get(var.getValueFrom().getFieldRef().getFieldPath());
          if (value != null) {
            env.put(var.getName(), value);
          }
        } else if (var.getValue() != null) {
          env.put(var.getName(), var.getValue());
        }
      }
      env.put("KUBECONFIG", kubeconfig.toString());
      AgentLaunch launch =
          new AgentLaunch(node.ns(), Map.copyOf(env), nodeArgs(node, container.getArgs()));
      launches.put(node.name(), launch);
      agents.put(node.name(), startAgent(launch.ns(), node.name(), launch.env(), launch.args()));
    }
  }

  /**
   * The DaemonSet's arguments for one lab node: the node directories the DaemonSet mounts (the CNI
   * plugin's state, and with {@code agent.cniHold} the CNI configuration and plugin directories)
   * are this node's own under the lab's directory, as every node has its own disk; the plugin
   * binary is the one cni-plugin/ built, as the image carries it. A node's CNI configuration starts
   * as the cluster's CNI would have written it: one {@code .conflist} of a primary plugin.
   */
  private List<String> nodeArgs(ClusterLab.LabNode node, List<String> args) {
    Path dir = cniDirectory(node.name());
    List<String> out = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--cni-hold-dir=")) {
        out.add("--cni-hold-dir=" + dir.resolve("state"));
      } else if (arg.startsWith("--cni-conf-dir=")) {
        out.add("--cni-conf-dir=" + dir.resolve("net.d"));
      } else if (arg.startsWith("--cni-bin-dir=")) {
        out.add("--cni-bin-dir=" + dir.resolve("bin"));
      } else {
        out.add(arg);
      }
    }
    if (args.contains("--cni-hold")) {
      Path plugin = repoRoot().resolve("cni-plugin/target/tunnelier-cni");
      if (!Files.isExecutable(plugin)) {
        throw new IllegalStateException(
            plugin + " is missing: build the plugin first (./mvnw -pl cni-plugin package)");
      }
      out.add("--cni-plugin=" + plugin);
      try {
        Files.createDirectories(dir.resolve("bin"));
        Path conf = Files.createDirectories(dir.resolve("net.d")).resolve("10-lab.conflist");
        if (!Files.exists(conf)) {
          Files.writeString(
              conf,
              "{\"name\": \"lab\", \"cniVersion\": \"1.0.0\", \"plugins\": [{\"type\":"
                  + " \"lab-veth\"}]}\n");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** A lab node's own directories for what the DaemonSet mounts from the node (CNI). */
  public Path cniDirectory(String node) {
    return lab.workDir().resolve(lab.namePrefix() + node + "-cni");
  }

  /**
   * Plays the container runtime's CNI ADD for a pod whose sandbox the lab just set up ({@link
   * ClusterLab#addPod}): reads the node's active CNI configuration (the first file by name, as
   * containerd picks it) and, after the lab's own plugin (which made the veth and the address),
   * runs every other plugin of its chain in order with the earlier result as {@code prevResult}, in
   * the node's network namespace, as containerd would. Returns the last plugin's output.
   */
  public String cniAdd(String namespace, ClusterLab.LabPod pod) {
    Path confDir = cniDirectory(pod.node().name()).resolve("net.d");
    try (var files = Files.list(confDir)) {
      Path conf =
          files
              .filter(p -> p.getFileName().toString().endsWith(".conflist"))
              .sorted()
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no CNI configuration in " + confDir));
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var root = mapper.readTree(conf.toFile());
      String uid =
          admin.pods().inNamespace(namespace).withName(pod.name()).get().getMetadata().getUid();
      String result =
          "{\"cniVersion\": \"1.0.0\", \"interfaces\": [{\"name\": \"eth0\"}], \"ips\":"
              + " [{\"address\": \""
              + pod.ip()
              + "/32\", \"interface\": 0}]}";
      for (var plugin : root.path("plugins")) {
        String type = plugin.path("type").asText();
        if (type.equals("lab-veth")) {
          continue; // ClusterLab.addPod did its part
        }
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) plugin.deepCopy();
        config.put("name", root.path("name").asText());
        config.put("cniVersion", root.path("cniVersion").asText());
        config.set("prevResult", mapper.readTree(result));
        Path binary = cniDirectory(pod.node().name()).resolve("bin").resolve(type);
        Exec.Result r =
            Exec.run(
                Duration.ofSeconds(10),
                pod.node()
                    .ns()
                    .wrap(
                        "env",
                        "CNI_COMMAND=ADD",
                        "CNI_CONTAINERID=lab-" + pod.name(),
                        "CNI_NETNS=/var/run/netns/" + pod.ns().name(),
                        "CNI_IFNAME=eth0",
                        "CNI_PATH=" + binary.getParent(),
                        "CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE="
                            + namespace
                            + ";K8S_POD_NAME="
                            + pod.name()
                            + ";K8S_POD_INFRA_CONTAINER_ID=lab-"
                            + pod.name()
                            + ";K8S_POD_UID="
                            + uid,
                        binary.toString()),
                mapper.writeValueAsBytes(config));
        if (r.exitCode() != 0) {
          throw new IllegalStateException(
              "CNI ADD of " + pod.name() + ": " + type + " failed: " + r.stdout() + r.stderr());
        }
        result = r.stdout();
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Restarts one node's agent as the kubelet restarts a crashed container: SIGKILL, then the same
   * command, environment and namespace again. The new process adopts what the old one programmed.
   */
  public void restartAgent(String node) {
    AgentLaunch launch = launches.get(node);
    if (launch == null) {
      throw new IllegalStateException("no agent was started on " + node);
    }
    killAgent(node);
    agents.put(node, startAgent(launch.ns(), node, launch.env(), launch.args()));
  }

  /**
   * Removes the VPS end as docs/vps.md has its admin do: stop the standalone agent, then run it
   * once with {@code --cleanup} on the same peer.yaml. Returns the cleanup run's output.
   */
  public String cleanupVps() {
    stopVps();
    if (vpsConfig == null) {
      throw new IllegalStateException("the VPS was never started");
    }
    List<String> command = agentCommand();
    command.addAll(
        List.of("standalone", "--config", vpsConfig.toString(), "--cleanup", "--metrics-port=-1"));
    Exec.Result result = lab.vps().exec(Duration.ofSeconds(60), command.toArray(String[]::new));
    return result.orThrow().stdout() + result.stderr();
  }

  /** Stops (SIGKILL, as a node failure would) one node's agent. */
  public void killAgent(String node) {
    destroy(agents.remove(node));
  }

  /**
   * Starts the VPS end from a standalone config file (e.g. several tunnels' peer.yaml merged); the
   * agent re-reads it when it changes or on {@link #reloadVps()}.
   */
  public void startVps(Path config) {
    stopVps();
    vpsConfig = config;
    vpsAgent = startStandalone(lab.vps(), "vps", config);
  }

  /**
   * A standalone agent in {@code ns}, as a VPS runs it (docs/vps.md); with the quicker resync tests
   * wait on unless {@link Options#productionLoops()}, as the in-cluster agents.
   */
  private Process startStandalone(Netns ns, String name, Path config) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "standalone",
                "--config",
                config.toString(),
                "--enable-ip-forward",
                "--metrics-port=0"));
    if (!options.productionLoops()) {
      args.add("--resync-period=5s");
    }
    return startAgent(ns, name, Map.of(), args);
  }

  /** SIGHUP to the VPS's agent: re-read its config now. */
  public void reloadVps() {
    if (vpsAgent != null) {
      io.tunnelier.agent.lab.Exec.run(
              Duration.ofSeconds(5), List.of("kill", "-HUP", String.valueOf(vpsAgent.pid())))
          .orThrow();
    }
  }

  /** Starts the VPS end from the Tunnel's {@code <name>-peer-config} Secret (peer.yaml). */
  public void startVps(String namespace, String tunnelName) {
    startVps(peerYaml(namespace, tunnelName + "-peer-config"));
  }

  /** The {@code peer.yaml} of a peer config Secret, once the operator wrote it, as a lab file. */
  private Path peerYaml(String namespace, String secretName) {
    Secret secret =
        admin
            .secrets()
            .inNamespace(namespace)
            .withName(secretName)
            .waitUntilCondition(
                s -> s != null && s.getData() != null && s.getData().containsKey("peer.yaml"),
                WAIT.toSeconds(),
                TimeUnit.SECONDS);
    Path peer = lab.workDir().resolve("peer-" + secretName + ".yaml");
    try {
      Files.write(peer, Base64.getDecoder().decode(secret.getData().get("peer.yaml")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return peer;
  }

  /**
   * Starts the lab's second VPS ({@link ClusterLab#VPS_2_ADDRESS}) as the Tunnel's backup peer
   * {@code peer}, from its {@code <name>-peer-config-<peer>} Secret.
   */
  public void startSecondVps(String namespace, String tunnelName, String peer) {
    lab.startSecondVps();
    stopSecondVps();
    vps2Agent =
        startStandalone(
            lab.vps2(), "vps2", peerYaml(namespace, tunnelName + "-peer-config-" + peer));
  }

  /** Stops the second VPS's agent. */
  public void stopSecondVps() {
    destroy(vps2Agent);
    vps2Agent = null;
  }

  /** Stops the VPS's agent (the VPS "goes away"). */
  public void stopVps() {
    destroy(vpsAgent);
    vpsAgent = null;
  }

  /** Kills a process and its children, and waits (bounded) for it to be gone. */
  private static void destroy(Process process) {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code java <agent JVM options> -jar node-agent.jar}, to which the arguments are added. */
  private List<String> agentCommand() {
    List<String> command = new ArrayList<>();
    command.add(AgentJava.binary());
    command.addAll(options.agentJvm());
    command.addAll(List.of("-jar", nodeAgentJar().toString()));
    return command;
  }

  private Process startAgent(Netns ns, String name, Map<String, String> env, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("env");
    env.forEach((k, v) -> command.add(k + "=" + v));
    command.addAll(agentCommand());
    command.addAll(args);
    return ns.spawn(log(name + "-agent").toFile(), command.toArray(String[]::new));
  }

  /** The packaged agent, as the container image holds it. */
  static Path nodeAgentJar() {
    Path jar = repoRoot().resolve("node-agent/target/node-agent.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build node-agent first (./mvnw package)");
    }
    return jar;
  }

  public Path log(String name) {
    return lab.workDir().resolve(lab.namePrefix() + name + ".log");
  }

  /**
   * Where the API server relay's socket lives: the lab's directory, or a subdirectory for a second
   * site (both sites share the lab's directory, each cluster has its own API server).
   */
  private Path bridgeDirectory() {
    if (lab.namePrefix().isEmpty()) {
      return lab.workDir();
    }
    try {
      return Files.createDirectories(lab.workDir().resolve(lab.namePrefix() + "bridge"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Tunnel from examples/, parsed, not applied: for scenarios that adapt it first. */
  public static Tunnel example(String example) {
    try {
      return Serialization.unmarshal(
          Files.readString(repoRoot().resolve("examples").resolve(example)), Tunnel.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last lines of a component's log, for assertion messages. */
  public String tail(String name, int lines) {
    try {
      List<String> all = Files.readAllLines(log(name), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log " + log(name) + ")";
    }
  }

  public ClusterLab lab() {
    return lab;
  }

  public LabKubelet kubelet() {
    return kubelet;
  }

  public KubernetesClient admin() {
    return admin;
  }

  public String systemNamespace() {
    return systemNamespace;
  }

  /** The repository: the system property tunnelier.repo.root, else the module's parent. */
  public static Path repoRoot() {
    return Path.of(System.getProperty("tunnelier.repo.root", "..")).toAbsolutePath().normalize();
  }

  /** Stops everything this cluster started and removes what it created in the API server. */
  @Override
  public void close() {
    stopVps();
    stopSecondVps();
    for (String node : new ArrayList<>(agents.keySet())) {
      killAgent(node);
    }
    if (operator != null) {
      operator.close();
    }
    if (operatorProcess != null) {
      operatorProcess.destroyForcibly();
      try {
        operatorProcess.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    if (bridge != null) {
      bridge.close();
    }
    // Leave nothing for the next test on this shared API server to trip over: Tunnels (their
    // finalizer can no longer be removed by the stopped operator) and Pods (bound to nodes with no
    // kubelet, they would wait for one forever) go now, and we wait until they are gone.
    for (String ns : namespaces) {
      try {
        for (Tunnel t : admin.resources(Tunnel.class).inNamespace(ns).list().getItems()) {
          admin
              .resources(Tunnel.class)
              .inNamespace(ns)
              .withName(t.getMetadata().getName())
              .edit(
                  x -> {
                    x.getMetadata().setFinalizers(List.of());
                    return x;
                  });
        }
        admin.resources(Tunnel.class).inNamespace(ns).delete();
        admin.pods().inNamespace(ns).withGracePeriod(0).delete();
        admin.namespaces().withName(ns).delete();
        admin
            .resources(Tunnel.class)
            .inNamespace(ns)
            .informOnCondition(List::isEmpty)
            .get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("[cluster] cleaning namespace " + ns + ": " + e);
      }
    }
    for (ClusterLab.LabNode node : lab.nodes()) {
      admin.nodes().withName(node.name()).delete();
    }
    try {
      Helm.uninstall(release)
          .withNamespace(systemNamespace)
          .withKubeConfig(controlPlane.kubeconfig())
          .call();
      JvmSignals.reclaim();
    } catch (RuntimeException e) {
      System.err.println("[cluster] helm uninstall " + release + ": " + e.getMessage());
    }
    admin.namespaces().withName(systemNamespace).delete();
  }
}
