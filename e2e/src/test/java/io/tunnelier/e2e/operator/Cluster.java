package io.tunnelier.e2e.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the operator ITs do in place of a real cluster's nodes and agents: Node objects whose Ready
 * condition the test sets through the status subresource, and agents' {@code status.nodes[]}
 * entries written by server-side apply under each node's field manager, as the real agents do.
 */
final class Cluster {
  private final KubernetesClient admin;

  Cluster(KubernetesClient admin) {
    this.admin = admin;
  }

  void createNamespace(String name) {
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }

  void createNode(String name, Map<String, String> labels, String podCidr) {
    admin
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withPodCIDR(podCidr)
                .withPodCIDRs(podCidr)
                .endSpec()
                .build())
        .create();
    setReady(name, true);
  }

  /** Sets the node's Ready condition, as the kubelet (True) or the node controller (False) do. */
  void setReady(String name, boolean ready) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    NodeCondition condition =
        new NodeConditionBuilder()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .withReason(ready ? "KubeletReady" : "NodeStatusUnknown")
            .withMessage(ready ? "kubelet is posting ready status" : "Kubelet stopped posting")
            .withLastHeartbeatTime(now)
            .withLastTransitionTime(now)
            .build();
    admin
        .nodes()
        .withName(name)
        .editStatus(
            n -> {
              n.getStatus().setConditions(new ArrayList<>(List.of(condition)));
              return n;
            });
  }

  void deleteNode(String name) {
    admin.nodes().withName(name).delete();
  }

  static Condition condition(String type, boolean status, String reason, Instant since) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(type + (status ? " is true" : " is false") + " (" + reason + ")")
        .withLastTransitionTime(since.truncatedTo(ChronoUnit.SECONDS).toString())
        .build();
  }

  /** An agent's entry for a node that serves the tunnel well. */
  static NodeStatus healthy(String node, NodeRole role, Instant since) {
    NodeStatus s = new NodeStatus();
    s.setName(node);
    s.setRole(role);
    s.setDatapath(io.tunnelier.api.v1alpha1.NodeDatapath.USERSPACE);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition("LinkUp", true, "DeviceUp", since));
    conditions.add(condition("RoutesProgrammed", true, "Programmed", since));
    conditions.add(condition("NATProgrammed", true, "Programmed", since));
    if (role == NodeRole.GATEWAY) {
      conditions.add(condition("PeerReachable", true, "ProbeAnswered", since));
      s.setRttMillis(23.4);
      s.setRxBytes(1_048_576L);
      s.setTxBytes(524_288L);
    }
    s.setConditions(conditions);
    s.setMtu(1420);
    s.setLastUpdateTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    return s;
  }

  /** Writes the agent's entry by server-side apply under {@code tunnelier-agent/<node>}. */
  void report(String namespace, String tunnel, NodeStatus entry) {
    TunnelStatus status = new TunnelStatus();
    status.setNodes(List.of(entry));
    Tunnel patch = new Tunnel();
    patch.getMetadata().setName(tunnel);
    patch.getMetadata().setNamespace(namespace);
    patch.setStatus(status);
    admin
        .resources(Tunnel.class)
        .inNamespace(namespace)
        .resource(patch)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("tunnelier-agent/" + entry.getName())
                .withForce(true)
                .build());
  }

  Tunnel createTunnel(String namespace, String yaml) {
    Tunnel tunnel = Serialization.unmarshal(yaml, Tunnel.class);
    return admin.resources(Tunnel.class).inNamespace(namespace).resource(tunnel).create();
  }

  Tunnel tunnel(String namespace, String name) {
    return admin.resources(Tunnel.class).inNamespace(namespace).withName(name).get();
  }

  List<Event> events(String namespace, String involvedName) {
    return admin.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> involvedName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /** The status as a user sees it with kubectl get -o yaml. */
  static String statusYaml(Tunnel tunnel) {
    return Serialization.asYaml(Map.of("status", tunnel.getStatus()));
  }
}
