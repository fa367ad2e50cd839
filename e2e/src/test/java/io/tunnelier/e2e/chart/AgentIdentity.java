package io.tunnelier.e2e.chart;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tunnelier.e2e.controlplane.ControlPlane;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The node agent's identity as the kubelet gives it in a cluster: a token of the agent's
 * ServiceAccount bound to the agent's pod on one node. There is no kubelet here, so this plays its
 * part: a Pod object bound to the node (never run), and a TokenRequest bound to that Pod, exactly
 * what the kubelet asks for a projected token. The API server then puts the node's name into the
 * token (Kubernetes 1.32+), and into {@code request.userInfo.extra} as {@code
 * authentication.kubernetes.io/node-name}, which the chart's admission policy compares with the
 * {@code status.nodes[]} entries the agent writes. The token stays valid while the Pod and the Node
 * exist.
 */
final class AgentIdentity {
  static final String NODE_NAME_EXTRA = "authentication.kubernetes.io/node-name";

  private AgentIdentity() {}

  /**
   * A client acting as the agent's pod on {@code node} (which must exist). The caller closes it.
   */
  static KubernetesClient onNode(
      ControlPlane controlPlane, String namespace, String serviceAccount, String node) {
    String token = controlPlane.podBoundToken(namespace, serviceAccount, node);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(controlPlane.url())
            .withCaCertData(
                Base64.getEncoder()
                    .encodeToString(
                        controlPlane.caCertificatePem().getBytes(StandardCharsets.UTF_8)))
            .withOauthToken(token)
            .withNamespace(namespace)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Deletes the agent's pod on {@code node}: its tokens stop working. */
  static void release(
      ControlPlane controlPlane, String namespace, String serviceAccount, String node) {
    controlPlane.deletePodOn(namespace, serviceAccount, node);
  }
}
