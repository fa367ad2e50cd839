package io.tunnelier.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The connection flags kubectl users know. kubectl hands every argument after {@code kubectl
 * tunnelier} to the plugin unread, so the plugin takes them itself: fabric8's default configuration
 * ({@code KUBECONFIG}, else {@code ~/.kube/config}), {@code --kubeconfig}, {@code --context},
 * {@code -n} (default: the context's namespace).
 */
public final class KubeOptions {
  @Option(
      scope = ScopeType.INHERIT,
      names = "--kubeconfig",
      description = "Path to the kubeconfig file.")
  File kubeconfig;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--context",
      description = "The kubeconfig context to use.")
  String context;

  @Option(
      scope = ScopeType.INHERIT,
      names = {"-n", "--namespace"},
      description = "The Tunnel's namespace (default: the context's).")
  String namespace;

  @Option(
      scope = ScopeType.INHERIT,
      names = "--agent-namespace",
      description =
          "Where the node agent pods run (default: found in any namespace by their label).")
  String agentNamespace;

  private Config config;

  Config config() {
    if (config == null) {
      config =
          kubeconfig != null
              ? Config.fromKubeconfig(context, kubeconfig)
              : Config.autoConfigure(context);
    }
    return config;
  }

  KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** {@code -n}, else the context's namespace, else {@code default}. */
  String namespace() {
    if (namespace != null) {
      return namespace;
    }
    String fromContext = config().getNamespace();
    return fromContext == null || fromContext.isEmpty() ? "default" : fromContext;
  }
}
