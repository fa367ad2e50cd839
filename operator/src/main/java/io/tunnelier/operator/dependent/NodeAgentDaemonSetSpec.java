package io.tunnelier.operator.dependent;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.tunnelier.operator.Labels;
import io.tunnelier.operator.config.AgentConfig;
import io.tunnelier.operator.config.OperatorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node agent DaemonSet the operator wants: one per cluster, one agent pod per node, serving
 * every Tunnel. Pure: the same configuration always gives the same object.
 *
 * <p>The pod needs the node's network namespace (hostNetwork) to program links, routes, rules and
 * nftables, NET_ADMIN and NET_RAW for that (not privileged), root for {@code /dev/net/tun} and
 * netlink, and {@code /dev/net/tun} from the host for the userspace datapath.
 */
public final class NodeAgentDaemonSetSpec {
  /**
   * The API server fills in a fieldRef's apiVersion; left out here, every reconcile would see the
   * DaemonSet differ from what it wants and apply it again.
   */
  private static final String FIELD_REF_API_VERSION = "v1";

  public static final String NAME = "tunnelier-node-agent";
  public static final String SERVICE_ACCOUNT = "tunnelier-node-agent";
  public static final String CONTAINER = "agent";

  /**
   * The container port of {@code /metrics} and {@code /healthz} ({@link AgentConfig#metricsPort},
   * on the node's address: host network). The chart's agent Service targets it by this name.
   */
  public static final String METRICS_PORT_NAME = "metrics";

  /** The TUN device the userspace datapath opens, mounted from the host. */
  public static final String TUN_DEVICE = "/dev/net/tun";

  static final Map<String, String> SELECTOR = Map.of("app.kubernetes.io/name", NAME);

  /**
   * The CNI plugin's state on the node (the guarded namespaces' file), mounted at the same path so
   * the path the agent writes into the CNI configuration is the node's. Mounted also with {@code
   * agent.cniHold} off: an agent turned off removes what it left there, so the plugin, if still
   * chained, holds nothing.
   */
  public static final String CNI_STATE_DIR = "/var/lib/tunnelier/cni";

  /** Where the node's CNI plugin and configuration directories appear in the agent container. */
  public static final String CNI_BIN_MOUNT = "/host/opt/cni/bin";

  public static final String CNI_CONF_MOUNT = "/host/etc/cni/net.d";

  private NodeAgentDaemonSetSpec() {}

  public static DaemonSet desired(AgentConfig agent, String namespace) {
    return desired(agent, List.of(), namespace);
  }

  /**
   * The DaemonSet; {@code clusterCidrs} (the operator's {@code clusterCIDRs}) become the agents'
   * {@code --cluster-cidr}, so the one chart value feeds both the operator's refusals and the
   * agents' egress exclusions.
   */
  public static DaemonSet desired(AgentConfig agent, List<String> clusterCidrs, String namespace) {
    return desired(
        agent,
        clusterCidrs,
        OperatorConfig.defaults().gatewayHeartbeatIntervalDuration(),
        namespace);
  }

  /** The DaemonSet for the whole operator configuration. */
  public static DaemonSet desired(OperatorConfig config, String namespace) {
    return desired(
        config.agent(),
        config.clusterCIDRs(),
        config.gatewayHeartbeatIntervalDuration(),
        namespace);
  }

  /**
   * The DaemonSet; {@code heartbeatInterval} (the operator's {@code gatewayHeartbeatInterval})
   * becomes the agents' {@code --heartbeat-interval}.
   */
  public static DaemonSet desired(
      AgentConfig agent,
      List<String> clusterCidrs,
      java.time.Duration heartbeatInterval,
      String namespace) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.putAll(SELECTOR);
    labels.put("app.kubernetes.io/component", "node-agent");
    labels.put("app.kubernetes.io/part-of", "tunnelier");
    labels.put(Labels.MANAGED_BY, Labels.OPERATOR);

    List<String> args = new ArrayList<>();
    args.add("agent");
    // The one value for the agent's listener, the container port and the probe; the chart's
    // Service follows the same agent.metricsPort.
    args.add(AgentConfig.METRICS_PORT_OPTION + "=" + agent.metricsPort());
    if (!clusterCidrs.isEmpty()) {
      args.add("--cluster-cidr=" + String.join(",", clusterCidrs));
    }
    args.add("--heartbeat-interval=" + io.tunnelier.api.Durations.format(heartbeatInterval));
    args.add("--cni-hold-dir=" + CNI_STATE_DIR);
    if (agent.cniHold().enabled()) {
      args.add("--cni-hold");
      args.add("--cni-bin-dir=" + CNI_BIN_MOUNT);
      args.add("--cni-conf-dir=" + CNI_CONF_MOUNT);
    }
    args.addAll(agent.extraArgs());

    ContainerBuilder container =
        new ContainerBuilder()
            .withName(CONTAINER)
            .withImage(agent.image())
            .withImagePullPolicy(agent.imagePullPolicy())
            .withArgs(args)
            .withEnv(
                downward("NODE_NAME", "spec.nodeName"),
                // The agent's /metrics and /healthz listen on the node's address only (host
                // network: 0.0.0.0 would be every address of the node, public ones included).
                downward("HOST_IP", "status.hostIP"),
                downward("POD_NAMESPACE", "metadata.namespace"),
                // The heartbeat Lease's owner: it goes with the Pod, and with an uninstall.
                downward("POD_NAME", "metadata.name"),
                downward("POD_UID", "metadata.uid"),
                // text or json, the chart's logFormat (docs/troubleshooting.md#logs).
                new EnvVarBuilder()
                    .withName("TUNNELIER_LOG_FORMAT")
                    .withValue(agent.logFormat())
                    .build())
            // Host network: the port is the node's, so the API server would fill in hostPort;
            // written out (with the probe's defaults below) so the applied object equals what the
            // server keeps.
            .withPorts(
                new ContainerPortBuilder()
                    .withName(METRICS_PORT_NAME)
                    .withContainerPort(agent.metricsPort())
                    .withHostPort(agent.metricsPort())
                    .withProtocol("TCP")
                    .build())
            // Ready once a reconcile of the node succeeded, not ready while they fail: a rollout
            // (maxUnavailable 1) waits for a healthy agent before it replaces the next one. The
            // kubelet probes the pod's IP, which with host network is status.hostIP, the address
            // the agent listens on ($HOST_IP). Not a liveness probe: a failing apply is the
            // network's or the Tunnel's problem, and a restart would not fix it.
            .withReadinessProbe(
                new ProbeBuilder()
                    .withNewHttpGet()
                    .withPath("/healthz")
                    .withPort(new IntOrString(METRICS_PORT_NAME))
                    .withScheme("HTTP")
                    .endHttpGet()
                    .withPeriodSeconds(10)
                    .withTimeoutSeconds(1)
                    .withSuccessThreshold(1)
                    .withFailureThreshold(3)
                    .build())
            .withResources(agent.resources())
            .withNewSecurityContext()
            .withPrivileged(false)
            .withAllowPrivilegeEscalation(false)
            .withRunAsUser(0L)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .withAdd("NET_ADMIN", "NET_RAW")
            .endCapabilities()
            .endSecurityContext()
            .withVolumeMounts(
                new VolumeMountBuilder().withName("dev-net-tun").withMountPath(TUN_DEVICE).build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build(),
                new VolumeMountBuilder()
                    .withName("cni-state")
                    .withMountPath(CNI_STATE_DIR)
                    .build());
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("dev-net-tun")
            .withNewHostPath()
            .withPath(TUN_DEVICE)
            .withType("CharDevice")
            .endHostPath()
            .build());
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    volumes.add(hostDirectory("cni-state", CNI_STATE_DIR, "DirectoryOrCreate"));
    if (agent.cniHold().enabled()) {
      container.addToVolumeMounts(
          new VolumeMountBuilder().withName("cni-bin").withMountPath(CNI_BIN_MOUNT).build(),
          new VolumeMountBuilder().withName("cni-conf").withMountPath(CNI_CONF_MOUNT).build());
      volumes.add(hostDirectory("cni-bin", agent.cniHold().binDir(), "Directory"));
      volumes.add(hostDirectory("cni-conf", agent.cniHold().confDir(), "Directory"));
    }

    DaemonSetBuilder builder =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName(NAME)
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .withMatchLabels(SELECTOR)
            .endSelector()
            .withNewUpdateStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
            .withNewMaxUnavailable(1)
            .endRollingUpdate()
            .endUpdateStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(SERVICE_ACCOUNT)
            .withHostNetwork(true)
            .withDnsPolicy("ClusterFirstWithHostNet")
            .withTerminationGracePeriodSeconds(30L)
            .withTolerations(agent.tolerations())
            .withNodeSelector(agent.nodeSelector())
            .withImagePullSecrets(agent.imagePullSecrets())
            .withContainers(container.build())
            .withVolumes(volumes)
            .endSpec()
            .endTemplate()
            .endSpec();
    if (!agent.priorityClassName().isEmpty()) {
      builder
          .editSpec()
          .editTemplate()
          .editSpec()
          .withPriorityClassName(agent.priorityClassName())
          .endSpec()
          .endTemplate()
          .endSpec();
    }
    return builder.build();
  }

  private static Volume hostDirectory(String name, String path, String type) {
    return new VolumeBuilder()
        .withName(name)
        .withNewHostPath()
        .withPath(path)
        .withType(type)
        .endHostPath()
        .build();
  }

  /** An environment variable from the downward API (a field of the agent's own Pod). */
  private static io.fabric8.kubernetes.api.model.EnvVar downward(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withApiVersion(FIELD_REF_API_VERSION)
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }
}
