package io.tunnelier.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.tunnelier.operator.config.AgentConfig;
import io.tunnelier.operator.config.OperatorConfig;
import io.tunnelier.operator.config.OperatorConfigFile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeAgentDaemonSetSpecTest {
  static final String HEARTBEAT = "--heartbeat-interval=1s";
  static final String HOLD_DIR = "--cni-hold-dir=/var/lib/tunnelier/cni";
  static final String HOLD = "--cni-hold";
  static final String BIN = "--cni-bin-dir=/host/opt/cni/bin";
  static final String CONF = "--cni-conf-dir=/host/etc/cni/net.d";

  private static PodSpec pod(DaemonSet ds) {
    return ds.getSpec().getTemplate().getSpec();
  }

  private static Container agent(DaemonSet ds) {
    return pod(ds).getContainers().get(0);
  }

  @Test
  void onePerClusterInTheOperatorsNamespaceWithoutOwner() {
    DaemonSet ds = NodeAgentDaemonSetSpec.desired(AgentConfig.defaults(), "tunnelier-system");
    assertThat(ds.getMetadata().getName()).isEqualTo("tunnelier-node-agent");
    assertThat(ds.getMetadata().getNamespace()).isEqualTo("tunnelier-system");
    assertThat(ds.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(ds.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "tunnelier-operator");
    assertThat(ds.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "tunnelier-node-agent"));
    assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(ds.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void theClusterCidrsBecomeTheAgentsClusterCidrBeforeTheExtraArgs() {
    AgentConfig agent =
        new AgentConfig(
            null, null, null, List.of("--verbose"), null, null, null, null, null, null, null);
    assertThat(agent(NodeAgentDaemonSetSpec.desired(agent, List.of(), "ns")).getArgs())
        .containsExactly(
            "agent", "--metrics-port=9464", HEARTBEAT, HOLD_DIR, HOLD, BIN, CONF, "--verbose");
    assertThat(
            agent(
                    NodeAgentDaemonSetSpec.desired(
                        agent, List.of("100.80.0.0/16", "100.88.0.0/16"), "ns"))
                .getArgs())
        .containsExactly(
            "agent",
            "--metrics-port=9464",
            "--cluster-cidr=100.80.0.0/16,100.88.0.0/16",
            HEARTBEAT,
            HOLD_DIR,
            HOLD,
            BIN,
            CONF,
            "--verbose");
  }

  @Test
  void agentPodIsHostNetworkedWithOnlyNetAdminAndNetRaw() {
    DaemonSet ds = NodeAgentDaemonSetSpec.desired(AgentConfig.defaults(), "ns");
    PodSpec pod = pod(ds);
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getServiceAccountName()).isEqualTo("tunnelier-node-agent");
    var sc = agent(ds).getSecurityContext();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getRunAsUser()).isZero();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).containsExactly("NET_ADMIN", "NET_RAW");
    assertThat(pod.getSecurityContext()).isNull();
  }

  /**
   * Host network: the kubelet probes the pod's IP, which is the node's status.hostIP, the address
   * the agent binds by default ($HOST_IP from the downward API, MetricsBinding in the agent).
   */
  @Test
  void readinessProbeAsksTheAgentsHealthzOnTheAddressItListensOn() {
    DaemonSet ds = NodeAgentDaemonSetSpec.desired(AgentConfig.defaults(), "ns");
    Container c = agent(ds);
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getContainerPort()).isEqualTo(9464);
              assertThat(p.getHostPort()).isEqualTo(9464);
              assertThat(p.getProtocol()).isEqualTo("TCP");
            });
    var get = c.getReadinessProbe().getHttpGet();
    assertThat(get.getPath()).isEqualTo("/healthz");
    assertThat(get.getPort().getStrVal()).isEqualTo("metrics");
    // No host: the pod's IP, i.e. the node's address on the host network.
    assertThat(get.getHost()).isNull();
    assertThat(c.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("HOST_IP");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
            });
    // A failing apply is not cured by a restart.
    assertThat(c.getLivenessProbe()).isNull();
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
  }

  /**
   * One value moves the agent's listener, its container and host port, and so the probe (which
   * names the port): a node whose 9464 is taken gets its agent elsewhere.
   */
  @Test
  void anotherMetricsPortMovesTheListenerThePortAndTheProbe() {
    AgentConfig agent = OperatorConfigFile.parse("agent: {metricsPort: 19464}").agent();
    Container c = agent(NodeAgentDaemonSetSpec.desired(agent, List.of("10.96.0.0/12"), "ns"));
    assertThat(c.getArgs())
        .containsExactly(
            "agent",
            "--metrics-port=19464",
            "--cluster-cidr=10.96.0.0/12",
            HEARTBEAT,
            HOLD_DIR,
            HOLD,
            BIN,
            CONF);
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo(NodeAgentDaemonSetSpec.METRICS_PORT_NAME);
              assertThat(p.getContainerPort()).isEqualTo(19464);
              assertThat(p.getHostPort()).isEqualTo(19464);
            });
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo(NodeAgentDaemonSetSpec.METRICS_PORT_NAME);
    assertThat(AgentConfig.defaults().metricsPort()).isEqualTo(9464);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 80, 1023, 65536, -1})
  void aMetricsPortOutsideTheUnprivilegedRangeIsRefused(int port) {
    assertThatThrownBy(() -> OperatorConfigFile.parse("agent: {metricsPort: " + port + "}").agent())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent.metricsPort " + port + " is not a port from 1024 to 65535");
  }

  /** The agent rejects a repeated option: extraArgs would crash every agent, or miss the probe. */
  @ParameterizedTest
  @ValueSource(strings = {"--metrics-port=9500", "--metrics-port"})
  void theMetricsPortIsNotAnExtraArg(String arg) {
    assertThatThrownBy(
            () ->
                new AgentConfig(
                    null,
                    null,
                    null,
                    List.of("--verbose", arg),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent.extraArgs: '" + arg + "' is not allowed")
        .hasMessageContaining("set agent.metricsPort instead");
    assertThat(
            new AgentConfig(
                    null,
                    null,
                    null,
                    List.of("--metrics-address=0.0.0.0"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null)
                .extraArgs())
        .containsExactly("--metrics-address=0.0.0.0");
  }

  @Test
  void tunDeviceComesFromTheHostAsACharDevice() {
    DaemonSet ds = NodeAgentDaemonSetSpec.desired(AgentConfig.defaults(), "ns");
    var volume =
        pod(ds).getVolumes().stream()
            .filter(v -> v.getHostPath() != null && "dev-net-tun".equals(v.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getHostPath().getPath()).isEqualTo(NodeAgentDaemonSetSpec.TUN_DEVICE);
    assertThat(volume.getHostPath().getType()).isEqualTo("CharDevice");
    assertThat(agent(ds).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo(volume.getName());
              assertThat(m.getMountPath()).isEqualTo(NodeAgentDaemonSetSpec.TUN_DEVICE);
            });
    assertThat(pod(ds).getVolumes())
        .as("the other directories of the node: the CNI plugin's state and the CNI's own")
        .filteredOn(v -> v.getHostPath() != null && v != volume)
        .extracting(v -> v.getHostPath().getPath() + " " + v.getHostPath().getType())
        .containsExactly(
            "/var/lib/tunnelier/cni DirectoryOrCreate",
            "/opt/cni/bin Directory",
            "/etc/cni/net.d Directory");
  }

  @Test
  void theCniHoldMountsTheNodesCniDirectoriesAndTurnsTheAgentsHoldsOn() {
    AgentConfig agent =
        OperatorConfigFile.parse("agent: {cniHold: {enabled: true, binDir: /opt/cni/bin}}").agent();
    DaemonSet ds = NodeAgentDaemonSetSpec.desired(agent, List.of(), "ns");

    assertThat(agent(ds).getArgs())
        .containsExactly(
            "agent",
            "--metrics-port=9464",
            HEARTBEAT,
            HOLD_DIR,
            "--cni-hold",
            "--cni-bin-dir=/host/opt/cni/bin",
            "--cni-conf-dir=/host/etc/cni/net.d");
    Map<String, String> hostPaths = new java.util.TreeMap<>();
    pod(ds).getVolumes().stream()
        .filter(v -> v.getHostPath() != null)
        .forEach(v -> hostPaths.put(v.getName(), v.getHostPath().getPath()));
    assertThat(hostPaths)
        .containsEntry("cni-bin", "/opt/cni/bin")
        .containsEntry("cni-conf", "/etc/cni/net.d")
        .containsEntry("cni-state", "/var/lib/tunnelier/cni");
    Map<String, String> mounts = new java.util.TreeMap<>();
    agent(ds).getVolumeMounts().forEach(m -> mounts.put(m.getName(), m.getMountPath()));
    assertThat(mounts)
        .containsEntry("cni-bin", "/host/opt/cni/bin")
        .containsEntry("cni-conf", "/host/etc/cni/net.d")
        .containsEntry("cni-state", "/var/lib/tunnelier/cni");
    assertThat(agent(ds).getSecurityContext().getPrivileged()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"--cni-hold", "--cni-conf-dir=/etc/cni/net.d"})
  void theCniOptionsAreTheChartsNotExtraArgs(String arg) {
    assertThatThrownBy(
            () ->
                new AgentConfig(
                    null, null, null, List.of(arg), null, null, null, null, null, null, null))
        .hasMessageContaining("set agent.cniHold instead");
    assertThatThrownBy(
            () -> OperatorConfigFile.parse("agent: {cniHold: {confDir: etc/cni}}").agent())
        .hasMessageContaining("'etc/cni' is not an absolute directory on the node");
  }

  @Test
  void nodeNameComesFromTheDownwardApi() {
    DaemonSet ds = NodeAgentDaemonSetSpec.desired(AgentConfig.defaults(), "ns");
    assertThat(agent(ds).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("NODE_NAME");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
              // As the API server stores it, so the desired DaemonSet matches the actual one.
              assertThat(e.getValueFrom().getFieldRef().getApiVersion()).isEqualTo("v1");
            });
  }

  @Test
  void theHeartbeatIntervalReachesTheAgentsWithThePodThatOwnsTheLease() {
    OperatorConfig off =
        OperatorConfig.defaults().withGatewayHeartbeat(Duration.ZERO, Duration.ofSeconds(3));
    assertThat(agent(NodeAgentDaemonSetSpec.desired(off, "ns")).getArgs())
        .contains("--heartbeat-interval=0s");
    OperatorConfig fast =
        OperatorConfig.defaults()
            .withGatewayHeartbeat(Duration.ofMillis(500), Duration.ofMillis(1500));
    Container c = agent(NodeAgentDaemonSetSpec.desired(fast, "ns"));
    assertThat(c.getArgs()).contains("--heartbeat-interval=500ms");
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().startsWith("POD_"))
        .extracting(e -> e.getName() + "=" + e.getValueFrom().getFieldRef().getFieldPath())
        .containsExactly(
            "POD_NAMESPACE=metadata.namespace", "POD_NAME=metadata.name", "POD_UID=metadata.uid");
  }

  @Test
  void theLogFormatReachesTheAgentsEnvironment() {
    assertThat(agent(NodeAgentDaemonSetSpec.desired(AgentConfig.defaults(), "ns")).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("TUNNELIER_LOG_FORMAT");
              assertThat(e.getValue()).isEqualTo("text");
            });
    AgentConfig json =
        new AgentConfig(null, null, null, null, null, null, null, null, "json", null, null);
    assertThat(agent(NodeAgentDaemonSetSpec.desired(json, "ns")).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("TUNNELIER_LOG_FORMAT");
              assertThat(e.getValue()).isEqualTo("json");
            });
    assertThatThrownBy(
            () ->
                new AgentConfig(null, null, null, null, null, null, null, null, "yaml", null, null))
        .hasMessageContaining("neither text nor json");
  }

  @Test
  void metricsListenOnTheNodesAddressFromTheDownwardApi() {
    DaemonSet ds = NodeAgentDaemonSetSpec.desired(AgentConfig.defaults(), "ns");
    assertThat(agent(ds).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("HOST_IP");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
              assertThat(e.getValueFrom().getFieldRef().getApiVersion()).isEqualTo("v1");
            });
    assertThat(agent(ds).getArgs()).noneMatch(a -> a.startsWith("--metrics-address"));
  }

  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of(
            "defaults",
            AgentConfig.defaults(),
            AgentConfig.DEFAULT_IMAGE,
            "IfNotPresent",
            List.of("agent", "--metrics-port=9464", HEARTBEAT, HOLD_DIR, HOLD, BIN, CONF),
            Map.of("kubernetes.io/os", "linux"),
            1),
        Arguments.of(
            "from the chart's values",
            OperatorConfigFile.parse(
                    """
                    agent:
                      image: registry.example/tunnelier/node-agent:1.2.3
                      imagePullPolicy: Always
                      extraArgs: ["--log-level=debug"]
                      nodeSelector: {tunnelier.io/agent: "yes"}
                      tolerations:
                      - {key: dedicated, operator: Equal, value: gateway, effect: NoSchedule}
                      - {key: example.com/spot, operator: Exists}
                      resources: {requests: {cpu: 50m}}
                    """)
                .agent(),
            "registry.example/tunnelier/node-agent:1.2.3",
            "Always",
            List.of(
                "agent",
                "--metrics-port=9464",
                HEARTBEAT,
                HOLD_DIR,
                HOLD,
                BIN,
                CONF,
                "--log-level=debug"),
            Map.of("tunnelier.io/agent", "yes"),
            2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void imageArgsTolerationsAndNodeSelectionFromConfiguration(
      String name,
      AgentConfig config,
      String image,
      String pullPolicy,
      List<String> args,
      Map<String, String> nodeSelector,
      int tolerations) {
    DaemonSet ds = NodeAgentDaemonSetSpec.desired(config, "ns");
    assertThat(agent(ds).getImage()).isEqualTo(image);
    assertThat(agent(ds).getImagePullPolicy()).isEqualTo(pullPolicy);
    assertThat(agent(ds).getArgs()).isEqualTo(args);
    assertThat(pod(ds).getNodeSelector()).isEqualTo(nodeSelector);
    assertThat(pod(ds).getTolerations()).hasSize(tolerations);
    assertThat(agent(ds).getResources()).isEqualTo(config.resources());
  }

  @Test
  void sameConfigurationSameObject() {
    AgentConfig config =
        new AgentConfig(
            "img",
            null,
            null,
            null,
            List.of(new TolerationBuilder().withOperator("Exists").build()),
            null,
            new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("1Gi")).build(),
            "system-node-critical",
            null,
            null,
            null);
    assertThat(NodeAgentDaemonSetSpec.desired(config, "ns"))
        .isEqualTo(NodeAgentDaemonSetSpec.desired(config, "ns"));
    assertThat(pod(NodeAgentDaemonSetSpec.desired(config, "ns")).getPriorityClassName())
        .isEqualTo("system-node-critical");
  }
}
