package io.tunnelier.e2e.kind;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One kind cluster (e2e/kind/cluster.sh): a control plane and two workers, flannel, kube-proxy in
 * nftables mode, pod and service subnets inside 100.64.0.0/10, the images built from this checkout
 * loaded with `kind load`, and Tunnelier installed from charts/tunnelier with helm-java.
 */
final class KindCluster implements AutoCloseable {
  static final String RELEASE = "tunnelier";
  static final String RELEASE_NAMESPACE = "tunnelier-system";

  private final KindEnvironment env;
  private final String name;
  private final String podSubnet;
  private final String serviceSubnet;
  private final Path kubeconfig;
  private KubernetesClient client;

  private KindCluster(
      KindEnvironment env, String name, String podSubnet, String serviceSubnet, Path kubeconfig) {
    this.env = env;
    this.name = name;
    this.podSubnet = podSubnet;
    this.serviceSubnet = serviceSubnet;
    this.kubeconfig = kubeconfig;
  }

  /**
   * Creates the cluster with e2e/kind/cluster.sh (a left-over one of the same name is deleted
   * first) and loads {@code images} into its nodes.
   */
  static KindCluster create(
      KindEnvironment env, String name, String podSubnet, String serviceSubnet, String... images) {
    Path kubeconfig = env.repoRoot().resolve("e2e/target/kind/" + name + ".kubeconfig");
    KindCluster cluster = new KindCluster(env, name, podSubnet, serviceSubnet, kubeconfig);
    List<String> args =
        new ArrayList<>(List.of("up", name, podSubnet, serviceSubnet, kubeconfig.toString()));
    args.addAll(List.of(images));
    env.script(Duration.ofMinutes(15), "e2e/kind/cluster.sh", args.toArray(String[]::new));
    return cluster;
  }

  String name() {
    return name;
  }

  /** The IPv4 pod subnet (the first of a dual-stack cluster's two). */
  String podSubnet() {
    return podSubnet.split(",")[0];
  }

  /** The service subnets: one, or a dual-stack cluster's IPv4 and IPv6 ones. */
  List<String> serviceSubnets() {
    return List.of(serviceSubnet.split(","));
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  synchronized KubernetesClient client() {
    if (client == null) {
      try {
        client =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                .build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return client;
  }

  /** The nodes' container names: {@code <name>-control-plane}, {@code <name>-worker}, ... */
  List<String> nodes() {
    return client().nodes().list().getItems().stream()
        .map(n -> n.getMetadata().getName())
        .sorted()
        .toList();
  }

  List<String> workers() {
    return nodes().stream().filter(n -> n.contains("-worker")).toList();
  }

  String controlPlane() {
    return name + "-control-plane";
  }

  /** The node's InternalIP: its address on the kind network. */
  String nodeAddress(String node) {
    return internalIp(node, false);
  }

  /** The node's IPv6 InternalIP, on a dual-stack cluster. */
  String nodeAddress6(String node) {
    return internalIp(node, true);
  }

  private String internalIp(String node, boolean ipv6) {
    Node n = client().nodes().withName(node).get();
    return n.getStatus().getAddresses().stream()
        .filter(a -> "InternalIP".equals(a.getType()) && a.getAddress().contains(":") == ipv6)
        .findFirst()
        .orElseThrow()
        .getAddress();
  }

  /**
   * The namespace as docs/install.md says (Pod Security "privileged": host network, NET_ADMIN),
   * then `helm install` with the images built here.
   */
  void installTunnelier(Map<String, String> extraValues) {
    client()
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(RELEASE_NAMESPACE)
                .addToLabels("pod-security.kubernetes.io/enforce", "privileged")
                .endMetadata()
                .build())
        .serverSideApply();
    var install =
        new Helm(env.repoRoot().resolve("charts/tunnelier"))
            .install()
            .withName(RELEASE)
            .withNamespace(RELEASE_NAMESPACE)
            .withKubeConfig(kubeconfig)
            .waitReady()
            .withTimeout(300);
    chartValues(extraValues).forEach(install::set);
    install.call();
  }

  /** `helm upgrade` of the release with the same images and {@code extraValues}. */
  void upgradeTunnelier(Map<String, String> extraValues) {
    var upgrade =
        new Helm(env.repoRoot().resolve("charts/tunnelier"))
            .upgrade()
            .withName(RELEASE)
            .withNamespace(RELEASE_NAMESPACE)
            .withKubeConfig(kubeconfig)
            .waitReady()
            .withTimeout(300);
    chartValues(extraValues).forEach(upgrade::set);
    upgrade.call();
  }

  /** `helm test`: the chart's test pod asks the operator's Service; throws when it fails. */
  String testTunnelier() {
    return Helm.test(RELEASE)
        .withNamespace(RELEASE_NAMESPACE)
        .withKubeConfig(kubeconfig)
        .withTimeout(180)
        .call()
        .getOutput();
  }

  void uninstallTunnelier() {
    Helm.uninstall(RELEASE).withNamespace(RELEASE_NAMESPACE).withKubeConfig(kubeconfig).call();
  }

  private static Map<String, String> chartValues(Map<String, String> extra) {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    values.put("image.repository", KindEnvironment.OPERATOR_IMAGE.split(":")[0]);
    values.put("image.tag", KindEnvironment.OPERATOR_IMAGE.split(":")[1]);
    values.put("image.pullPolicy", "Never");
    values.put("agent.image.repository", KindEnvironment.AGENT_IMAGE.split(":")[0]);
    values.put("agent.image.tag", KindEnvironment.AGENT_IMAGE.split(":")[1]);
    values.put("agent.image.pullPolicy", "Never");
    values.putAll(extra);
    return values;
  }

  /** A command inside a node's container (its host network namespace). */
  String onNode(String node, String... command) {
    return Docker.exec(node, command);
  }

  /** The last lines of a node's journal for a unit (kubelet, containerd), for failure reports. */
  String journal(String node, String unit) {
    return Docker.attempt("exec", node, "journalctl", "-u", unit, "-n", "40", "--no-pager")
        .stdout();
  }

  /** Deletes the cluster and its node containers (nothing happens when there is none). */
  void delete() {
    env.script(Duration.ofMinutes(3), "e2e/kind/cluster.sh", "down", name);
  }

  /** Closes the API client, then deletes the cluster. */
  @Override
  public void close() {
    synchronized (this) {
      if (client != null) {
        client.close();
        client = null;
      }
    }
    delete();
  }
}
