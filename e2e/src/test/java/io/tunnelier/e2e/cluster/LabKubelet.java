package io.tunnelier.e2e.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the kubelet for the lab: registers each lab node as a Node (InternalIP, podCIDR, Ready) and
 * reports lab pods as running Pods with their IPs, so the operator and the agents see what they
 * would see in a cluster; or, in the kubelet's real order, a pod bound first and reported with its
 * IP later ({@link #bind}, {@link #reportRunning}). There is no node lifecycle controller: a Node
 * stays Ready until a test says otherwise.
 */
public final class LabKubelet {
  public static final String GATEWAY_LABEL = "tunnelier.io/gateway";

  private final KubernetesClient client;
  private final Map<String, String> addresses = new ConcurrentHashMap<>();

  public LabKubelet(KubernetesClient client) {
    this.client = client;
  }

  /** Registers a lab node; {@code gateway} labels it as a gateway candidate. */
  public Node register(ClusterLab.LabNode node, boolean gateway) {
    addresses.put(node.name(), node.address());
    Node desired =
        new NodeBuilder()
            .withNewMetadata()
            .withName(node.name())
            .addToLabels("kubernetes.io/hostname", node.name())
            .addToLabels("kubernetes.io/os", "linux")
            .addToLabels(gateway ? Map.of(GATEWAY_LABEL, "true") : Map.of())
            .endMetadata()
            .withNewSpec()
            .withPodCIDR(node.podCidr())
            .withPodCIDRs(
                node.podCidr6() == null
                    ? List.of(node.podCidr())
                    : List.of(node.podCidr(), node.podCidr6()))
            .endSpec()
            .build();
    client.nodes().resource(desired).create();
    return setReady(node.name(), true);
  }

  /** Sets the Node's Ready condition, as the kubelet's heartbeat (or its absence) would. */
  public Node setReady(String nodeName, boolean ready) {
    Node live = client.nodes().withName(nodeName).get();
    String now = Instant.now().toString();
    NodeCondition condition =
        new NodeConditionBuilder()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .withReason(ready ? "KubeletReady" : "NodeStatusUnknown")
            .withMessage(ready ? "lab kubelet is posting ready status" : "lab: marked NotReady")
            .withLastHeartbeatTime(now)
            .withLastTransitionTime(now)
            .build();
    String address = addresses.get(nodeName);
    live.setStatus(
        new NodeStatusBuilder()
            .withConditions(List.of(condition))
            .addNewAddress()
            .withType("InternalIP")
            .withAddress(address)
            .endAddress()
            .addNewAddress()
            .withType("Hostname")
            .withAddress(nodeName)
            .endAddress()
            .build());
    return client.nodes().resource(live).updateStatus();
  }

  /** Creates the Pod object for a lab pod and reports it Running with its IP. */
  public Pod run(String namespace, ClusterLab.LabPod pod) {
    bind(namespace, pod.name(), pod.node().name(), pod.labels());
    return reportRunning(namespace, pod);
  }

  /**
   * Creates a Pod already bound to {@code nodeName}, with no status yet: what a node's kubelet sees
   * first, before it sets up the pod's sandbox (and so its IP) and later reports it.
   */
  public Pod bind(String namespace, String name, String nodeName, Map<String, String> labels) {
    Pod desired =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNodeName(nodeName)
            .addNewContainer()
            .withName("app")
            .withImage("lab.invalid/none:0")
            .endContainer()
            .endSpec()
            .build();
    return client.pods().resource(desired).create();
  }

  /** Reports a bound pod Running with the IP of its sandbox ({@code status.podIP}). */
  public Pod reportRunning(String namespace, ClusterLab.LabPod pod) {
    Pod created = client.pods().inNamespace(namespace).withName(pod.name()).get();
    String now = Instant.now().toString();
    List<PodIP> ips = new ArrayList<>(List.of(new PodIP(pod.ip())));
    if (pod.ip6() != null) {
      ips.add(new PodIP(pod.ip6()));
    }
    created.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(pod.ip())
            .withPodIPs(ips)
            .withHostIP(pod.node().address())
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .withLastTransitionTime(now)
            .endCondition()
            .withStartTime(now)
            .build());
    return client.pods().resource(created).updateStatus();
  }
}
