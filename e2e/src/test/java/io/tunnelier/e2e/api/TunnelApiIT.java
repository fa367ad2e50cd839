package io.tunnelier.e2e.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.k8s.TunnelCrd;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API semantics the operator and the agents rely on, proven on a real kube-apiserver: map-list
 * merging of agents' status entries under server-side apply, optimistic concurrency, garbage
 * collection of what a Tunnel owns, and RBAC.
 */
@ExtendWith(ControlPlaneExtension.class)
class TunnelApiIT {
  private final ControlPlane controlPlane;
  private final KubernetesClient admin;
  private String namespace;

  TunnelApiIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.admin = controlPlane.adminClient();
  }

  @BeforeEach
  void setUp() {
    TunnelCrd.install(admin);
    namespace = "api-it-" + UUID.randomUUID().toString().substring(0, 8);
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  @AfterEach
  void tearDown() {
    admin.namespaces().withName(namespace).delete();
  }

  private Tunnel createTunnel(String name) {
    Tunnel tunnel =
        Serialization.unmarshal(
            """
            apiVersion: tunnelier.io/v1alpha1
            kind: Tunnel
            metadata: {name: %s}
            spec:
              type: Egress
              peer: {endpoint: "203.0.113.10:51820"}
              egress: {podSelector: {matchLabels: {app: scraper}}}
            """
                .formatted(name),
            Tunnel.class);
    return admin.resources(Tunnel.class).inNamespace(namespace).resource(tunnel).create();
  }

  /** What one node's agent applies: only its own entry, under its own field manager. */
  private void applyNodeEntry(String tunnelName, String node, NodeRole role, String linkUp) {
    NodeStatus entry = new NodeStatus();
    entry.setName(node);
    entry.setRole(role);
    Condition condition =
        new ConditionBuilder()
            .withType("LinkUp")
            .withStatus(linkUp)
            .withReason(linkUp.equals("True") ? "DeviceUp" : "DeviceMissing")
            .withMessage("")
            .withLastTransitionTime("2026-11-22T00:00:00Z")
            .build();
    entry.setConditions(List.of(condition));
    TunnelStatus status = new TunnelStatus();
    status.setNodes(List.of(entry));
    Tunnel patch = new Tunnel();
    patch.getMetadata().setName(tunnelName);
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
                .withFieldManager("tunnelier-agent/" + node)
                .withForce(true)
                .build());
  }

  private List<NodeStatus> nodes(String tunnelName) {
    return admin
        .resources(Tunnel.class)
        .inNamespace(namespace)
        .withName(tunnelName)
        .get()
        .getStatus()
        .getNodes();
  }

  @Test
  void agentsStatusEntriesMergeWithoutClobbering() {
    createTunnel("merge");
    applyNodeEntry("merge", "node-a", NodeRole.GATEWAY, "True");
    applyNodeEntry("merge", "node-b", NodeRole.MEMBER, "True");
    // node-a updates its own entry again; node-b's must stay as it was.
    applyNodeEntry("merge", "node-a", NodeRole.GATEWAY, "False");

    List<NodeStatus> nodes = nodes("merge");
    assertThat(nodes).extracting(NodeStatus::getName).containsExactlyInAnyOrder("node-a", "node-b");
    NodeStatus a = nodes.stream().filter(n -> n.getName().equals("node-a")).findFirst().get();
    NodeStatus b = nodes.stream().filter(n -> n.getName().equals("node-b")).findFirst().get();
    assertThat(a.getConditions())
        .singleElement()
        .extracting(Condition::getStatus)
        .isEqualTo("False");
    assertThat(b.getConditions())
        .singleElement()
        .extracting(Condition::getStatus)
        .isEqualTo("True");
    assertThat(b.getRole()).isEqualTo(NodeRole.MEMBER);

    // Each agent owns exactly its own entry in managedFields.
    Tunnel live = admin.resources(Tunnel.class).inNamespace(namespace).withName("merge").get();
    assertThat(live.getMetadata().getManagedFields())
        .extracting(f -> f.getManager())
        .contains("tunnelier-agent/node-a", "tunnelier-agent/node-b");
  }

  @Test
  void staleResourceVersionIsAConflict() {
    Tunnel created = createTunnel("conflict");
    Tunnel stale = admin.resources(Tunnel.class).inNamespace(namespace).withName("conflict").get();
    created.getSpec().setMtu(1400);
    admin.resource(created).update();

    stale.getSpec().setMtu(1300);
    assertThatThrownBy(() -> admin.resource(stale).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void deletingATunnelGarbageCollectsWhatItOwns() {
    Tunnel tunnel = createTunnel("owner");
    Secret owned =
        new SecretBuilder()
            .withNewMetadata()
            .withName("owner-keys")
            .withNamespace(namespace)
            .addNewOwnerReference()
            .withApiVersion("tunnelier.io/v1alpha1")
            .withKind("Tunnel")
            .withName("owner")
            .withUid(tunnel.getMetadata().getUid())
            .withController(true)
            .withBlockOwnerDeletion(true)
            .endOwnerReference()
            .endMetadata()
            .addToStringData("privateKey", "not-a-real-key")
            .build();
    admin.secrets().resource(owned).create();

    admin.resource(tunnel).delete();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(admin.secrets().inNamespace(namespace).withName("owner-keys").get())
                    .as("the garbage collector removes the owned Secret")
                    .isNull());
  }

  @Test
  void serviceAccountWithoutPermissionIsForbidden() {
    createTunnel("rbac");
    try (KubernetesClient nobody = controlPlane.clientFor(namespace, "nobody")) {
      assertThatThrownBy(
              () -> nobody.resources(Tunnel.class).inNamespace(namespace).withName("rbac").get())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThatThrownBy(() -> nobody.resources(Tunnel.class).inNamespace(namespace).list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }
}
