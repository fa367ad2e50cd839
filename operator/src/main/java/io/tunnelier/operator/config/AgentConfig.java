package io.tunnelier.operator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Map;

/**
 * How the operator runs the node agent DaemonSet: the {@code agent:} section of the operator's
 * configuration file, rendered by the Helm chart from its values. Kubernetes types are used as they
 * are, so the chart copies values verbatim.
 *
 * @param image the agent's container image
 * @param imagePullPolicy Always, IfNotPresent or Never
 * @param imagePullSecrets Secrets (in the operator's namespace) to pull the image with
 * @param extraArgs arguments appended after {@code agent}
 * @param tolerations which node taints the agent tolerates; default: all, like a CNI agent
 * @param nodeSelector which nodes run an agent; default: Linux nodes
 * @param resources requests and limits of the agent container
 * @param priorityClassName the agent pods' priority class; empty: none
 * @param logFormat the agents' {@code TUNNELIER_LOG_FORMAT}: {@code text} (default) or {@code json}
 * @param metricsPort the agents' {@code --metrics-port} ({@code /metrics} and {@code /healthz}), on
 *     every node's address (host network); default {@value #DEFAULT_METRICS_PORT}
 * @param cniHold whether the agents chain the CNI plugin that holds new pods (on by default)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record AgentConfig(
    String image,
    String imagePullPolicy,
    List<LocalObjectReference> imagePullSecrets,
    List<String> extraArgs,
    List<Toleration> tolerations,
    Map<String, String> nodeSelector,
    ResourceRequirements resources,
    String priorityClassName,
    String logFormat,
    Integer metricsPort,
    CniHoldConfig cniHold) {

  public static final String DEFAULT_IMAGE = "ghcr.io/tunnelier/node-agent:0.1.0";

  /** The agent's own {@code --metrics-port} default, and the chart's {@code agent.metricsPort}. */
  public static final int DEFAULT_METRICS_PORT = 9464;

  /** The agent's option that {@link #metricsPort} sets; not allowed in {@link #extraArgs}. */
  public static final String METRICS_PORT_OPTION = "--metrics-port";

  /** The agent's options that {@link #cniHold} sets; none allowed in {@link #extraArgs}. */
  public static final String CNI_OPTIONS = "--cni-";

  /**
   * The agent's options that the operator's {@code gatewayHeartbeatInterval} sets; none allowed in
   * {@link #extraArgs}: the operator judges the heartbeats by its own timeout.
   */
  public static final String HEARTBEAT_OPTIONS = "--heartbeat-";

  public AgentConfig {
    image = image == null || image.isBlank() ? DEFAULT_IMAGE : image;
    imagePullPolicy = imagePullPolicy == null ? "IfNotPresent" : imagePullPolicy;
    imagePullSecrets = imagePullSecrets == null ? List.of() : List.copyOf(imagePullSecrets);
    extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
    tolerations =
        tolerations == null
            ? List.of(new TolerationBuilder().withOperator("Exists").build())
            : List.copyOf(tolerations);
    nodeSelector =
        nodeSelector == null ? Map.of("kubernetes.io/os", "linux") : Map.copyOf(nodeSelector);
    resources =
        resources == null
            ? new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("128Mi"))
                .addToLimits("memory", new Quantity("512Mi"))
                .build()
            : resources;
    priorityClassName = priorityClassName == null ? "" : priorityClassName;
    logFormat = logFormat == null || logFormat.isBlank() ? "text" : logFormat;
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new IllegalArgumentException(
          "agent.logFormat '" + logFormat + "' is neither text nor json");
    }
    metricsPort = metricsPort == null ? DEFAULT_METRICS_PORT : metricsPort;
    cniHold = cniHold == null ? CniHoldConfig.defaults() : cniHold;
    if (metricsPort < 1024 || metricsPort > 65535) {
      throw new IllegalArgumentException(
          "agent.metricsPort "
              + metricsPort
              + " is not a port from 1024 to 65535 (the agents' /metrics and /healthz, on every"
              + " node's address)");
    }
    for (String arg : extraArgs) {
      if (arg.startsWith(CNI_OPTIONS)) {
        throw new IllegalArgumentException(
            "agent.extraArgs: '"
                + arg
                + "' is not allowed: set agent.cniHold instead (the DaemonSet mounts the node's"
                + " directories the agent needs for it)");
      }
      if (arg.startsWith(HEARTBEAT_OPTIONS)) {
        throw new IllegalArgumentException(
            "agent.extraArgs: '"
                + arg
                + "' is not allowed: set gatewayHeartbeatInterval instead (the operator judges the"
                + " heartbeats with gatewayHeartbeatTimeout, which must fit the interval)");
      }
      if (arg.equals(METRICS_PORT_OPTION) || arg.startsWith(METRICS_PORT_OPTION + "=")) {
        throw new IllegalArgumentException(
            "agent.extraArgs: '"
                + arg
                + "' is not allowed: set agent.metricsPort instead (the DaemonSet's port, its"
                + " readiness probe and the chart's Service follow that value)");
      }
    }
  }

  /** All defaults. */
  public static AgentConfig defaults() {
    return new AgentConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  public AgentConfig withImage(String newImage) {
    return new AgentConfig(
        newImage,
        imagePullPolicy,
        imagePullSecrets,
        extraArgs,
        tolerations,
        nodeSelector,
        resources,
        priorityClassName,
        logFormat,
        metricsPort,
        cniHold);
  }
}
