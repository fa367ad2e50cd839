package io.tunnelier.e2e.kind;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.agent.lab.Exec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test pods in a kind cluster: the tools image, pinned to a node, run and read with kubectl. */
final class KindPods {
  private final KindCluster cluster;
  private final String kubectl;
  private final String image;

  KindPods(KindCluster cluster, KindEnvironment env) {
    this.cluster = cluster;
    this.kubectl = env.kubectl();
    this.image = env.toolsImage();
  }

  /**
   * A pod on {@code node} (through the scheduler: a nodeSelector, every taint tolerated) running
   * {@code script} with sh; {@code restartPolicy: Never}. Returns once it is created.
   */
  Pod start(String namespace, String name, String node, Map<String, String> labels, String script) {
    return start(namespace, name, node, labels, script, Map.of());
  }

  Pod start(
      String namespace,
      String name,
      String node,
      Map<String, String> labels,
      String script,
      Map<String, String> configMapMounts) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withTerminationGracePeriodSeconds(1L)
            .withNodeSelector(Map.of("kubernetes.io/hostname", node))
            .addNewToleration()
            .withOperator("Exists")
            .endToleration()
            .addNewContainer()
            .withName("main")
            .withImage(image)
            .withImagePullPolicy("Never")
            .withCommand("sh", "-c", script)
            .endContainer()
            .endSpec();
    configMapMounts.forEach(
        (configMap, path) ->
            b.editSpec()
                .addNewVolume()
                .withName(configMap)
                .withNewConfigMap()
                .withName(configMap)
                .endConfigMap()
                .endVolume()
                .editFirstContainer()
                .addNewVolumeMount()
                .withName(configMap)
                .withMountPath(path)
                .endVolumeMount()
                .endContainer()
                .endSpec());
    return client().pods().resource(b.build()).create();
  }

  /** Waits until the pod runs and has an IP; returns it. */
  String awaitRunning(String namespace, String name, Duration timeout) {
    Pod p =
        client()
            .pods()
            .inNamespace(namespace)
            .withName(name)
            .waitUntilCondition(
                pod ->
                    pod != null
                        && pod.getStatus() != null
                        && "Running".equals(pod.getStatus().getPhase())
                        && pod.getStatus().getPodIP() != null,
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    return p.getStatus().getPodIP();
  }

  /** Waits until the pod has ended (its script finished); returns its phase. */
  String awaitFinished(String namespace, String name, Duration timeout) {
    return client()
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .waitUntilCondition(
            pod ->
                pod != null
                    && pod.getStatus() != null
                    && List.of("Succeeded", "Failed").contains(pod.getStatus().getPhase()),
            timeout.toMillis(),
            TimeUnit.MILLISECONDS)
        .getStatus()
        .getPhase();
  }

  String logs(String namespace, String name) {
    return client().pods().inNamespace(namespace).withName(name).getLog();
  }

  /** {@code kubectl exec} in the pod; the command's stdout, or its failure as an exception. */
  String exec(String namespace, String name, Duration timeout, String... command) {
    return attempt(namespace, name, timeout, command).orThrow().stdout().strip();
  }

  Exec.Result attempt(String namespace, String name, Duration timeout, String... command) {
    List<String> args =
        new ArrayList<>(
            List.of(
                kubectl,
                "--kubeconfig",
                cluster.kubeconfig().toString(),
                "-n",
                namespace,
                "exec",
                name,
                "--"));
    args.addAll(List.of(command));
    return Exec.run(timeout, args);
  }

  /** The address the lab's web host saw for one HTTP GET from the pod, or null when it failed. */
  String sourceSeenByWeb(String namespace, String pod) {
    return sourceSeen(namespace, pod, KindInternet.WEB_ADDRESS);
  }

  /** As {@link #sourceSeenByWeb}, to the web host's IPv6 address. */
  String sourceSeenByWeb6(String namespace, String pod) {
    return sourceSeen(namespace, pod, "[" + KindInternet.WEB_ADDRESS6 + "]");
  }

  private String sourceSeen(String namespace, String pod, String host) {
    Exec.Result r =
        attempt(
            namespace,
            pod,
            Duration.ofSeconds(20),
            "curl",
            "-s",
            "-g",
            "--max-time",
            "5",
            "http://" + host + ":" + KindInternet.HTTP_PORT + "/");
    return r.exitCode() == 0 ? r.stdout().strip() : null;
  }

  void delete(String namespace, String name) {
    client().pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
  }

  private KubernetesClient client() {
    return cluster.client();
  }
}
