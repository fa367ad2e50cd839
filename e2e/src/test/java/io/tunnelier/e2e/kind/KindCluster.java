package io.tunnelier.e2e.kind;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tunnelier.agent.lab.Exec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One kind cluster on {@link KindEnvironment#NETWORK}: a control plane and two workers, flannel,
 * kube-proxy in nftables mode, pod and service subnets inside 100.64.0.0/10, and Tunnelier from
 * charts/tunnelier with the images built from this checkout, loaded with `kind load`.
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

  /** Creates the cluster (a left-over one of the same name is deleted first). */
  static KindCluster create(
      KindEnvironment env, String name, String podSubnet, String serviceSubnet) {
    Path dir = env.repoRoot().resolve("e2e/target/kind");
    KindCluster cluster =
        new KindCluster(env, name, podSubnet, serviceSubnet, dir.resolve(name + ".kubeconfig"));
    cluster.delete();
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve(name + ".yaml");
      Files.writeString(config, cluster.config());
      long start = System.nanoTime();
      cluster.kind(
          Duration.ofMinutes(10),
          "create",
          "cluster",
          "--name",
          name,
          "--image",
          env.nodeImage(),
          "--config",
          config.toString(),
          "--kubeconfig",
          cluster.kubeconfig.toString(),
          "--wait",
          "5m");
      System.out.printf(
          "[kind] cluster %s (pods %s, services %s) up in %.0f s%n",
          name, podSubnet, serviceSubnet, (System.nanoTime() - start) / 1e9);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cluster;
  }

  /** kind's cluster config: 3 nodes, our subnets, kube-proxy's nftables mode. */
  private String config() {
    StringBuilder s = new StringBuilder();
    s.append("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n");
    s.append("networking:\n");
    s.append("  podSubnet: ").append(podSubnet).append('\n');
    s.append("  serviceSubnet: ").append(serviceSubnet).append('\n');
    s.append("  kubeProxyMode: nftables\n");
    if (!Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
      // Kubernetes 1.35+ refuses cgroup v1 unless told otherwise; this machine has v1.
      s.append("kubeadmConfigPatches:\n");
      s.append("  - |\n    kind: KubeletConfiguration\n    failCgroupV1: false\n");
    }
    s.append("nodes:\n  - role: control-plane\n  - role: worker\n  - role: worker\n");
    return s.toString();
  }

  String name() {
    return name;
  }

  String podSubnet() {
    return podSubnet;
  }

  String serviceSubnet() {
    return serviceSubnet;
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
    Node n = client().nodes().withName(node).get();
    return n.getStatus().getAddresses().stream()
        .filter(a -> "InternalIP".equals(a.getType()))
        .findFirst()
        .orElseThrow()
        .getAddress();
  }

  /** `kind load docker-image` into every node. */
  void load(String... images) {
    long start = System.nanoTime();
    List<String> args = new ArrayList<>(List.of("load", "docker-image", "--name", name));
    args.addAll(List.of(images));
    kind(Duration.ofMinutes(10), args.toArray(String[]::new));
    System.out.printf(
        "[kind] loaded %s into %s in %.0f s%n",
        String.join(", ", images), name, (System.nanoTime() - start) / 1e9);
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

  private void kind(Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "env",
            "KIND_EXPERIMENTAL_DOCKER_NETWORK=" + KindEnvironment.NETWORK,
            // kind runs `docker`: the same CLI as the tests, first on its PATH.
            "PATH=" + Path.of(Docker.cli()).getParent() + ":" + System.getenv("PATH"),
            env.kind()));
    command.addAll(List.of(args));
    var result = Exec.run(timeout, command);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "kind "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + ":\n"
              + result.stdout()
              + result.stderr());
    }
  }

  /** Deletes the cluster and its node containers (nothing happens when there is none). */
  void delete() {
    if (client != null) {
      client.close();
      client = null;
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "env",
                "PATH=" + Path.of(Docker.cli()).getParent() + ":" + System.getenv("PATH"),
                env.kind(),
                "delete",
                "cluster",
                "--name",
                name,
                "--kubeconfig",
                kubeconfig.toString()));
    Exec.run(Duration.ofMinutes(3), command);
  }

  @Override
  public void close() {
    delete();
  }
}
