package io.tunnelier.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The control plane behaves like a real cluster where the operator depends on it. */
@ExtendWith(ControlPlaneExtension.class)
class ControlPlaneIT {
  private static final Duration CONTROLLER_TIMEOUT = Duration.ofSeconds(60);

  private final ControlPlane controlPlane;
  private final KubernetesClient admin;
  private String namespace;

  ControlPlaneIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.admin = controlPlane.adminClient();
  }

  @BeforeEach
  void createNamespace() {
    namespace = "cp-it-" + UUID.randomUUID().toString().substring(0, 8);
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  @AfterEach
  void deleteNamespace() {
    admin.namespaces().withName(namespace).delete();
  }

  @Test
  void reportsKubernetesVersion() {
    assertThat(admin.getKubernetesVersion().getGitVersion()).isEqualTo("v1.36.3");
    assertThat(controlPlane.kubectl("version", "--output=json"))
        .contains("\"clientVersion\"", "\"serverVersion\"")
        .doesNotContain("v0.0.0")
        .containsPattern("(?s)clientVersion.*\"gitVersion\": \"v1.36.3\".*serverVersion");
  }

  @Test
  void deletesNamespaceWithItsContent() {
    admin.configMaps().inNamespace(namespace).resource(configMap("content")).create();

    controlPlane.kubectl("delete", "namespace", namespace, "--wait=false");

    await()
        .atMost(CONTROLLER_TIMEOUT)
        .until(() -> admin.namespaces().withName(namespace).get() == null);
  }

  @Test
  void garbageCollectsDependentsOfDeletedOwner() {
    ConfigMap owner =
        admin.configMaps().inNamespace(namespace).resource(configMap("owner")).create();
    ConfigMap dependent =
        new ConfigMapBuilder(configMap("dependent"))
            .editMetadata()
            .addNewOwnerReference()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withName(owner.getMetadata().getName())
            .withUid(owner.getMetadata().getUid())
            .endOwnerReference()
            .endMetadata()
            .build();
    admin.configMaps().inNamespace(namespace).resource(dependent).create();

    admin.configMaps().inNamespace(namespace).withName("owner").delete();

    await()
        .atMost(CONTROLLER_TIMEOUT)
        .until(() -> admin.configMaps().inNamespace(namespace).withName("dependent").get() == null);
  }

  @Test
  void enforcesRbacForServiceAccounts() {
    try (KubernetesClient reader = controlPlane.clientFor(namespace, "reader")) {
      assertThatThrownBy(() -> reader.secrets().inNamespace(namespace).list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

      admin
          .rbac()
          .roles()
          .inNamespace(namespace)
          .resource(
              new RoleBuilder()
                  .withNewMetadata()
                  .withName("secret-reader")
                  .endMetadata()
                  .addNewRule()
                  .withApiGroups("")
                  .withResources("secrets")
                  .withVerbs("get", "list")
                  .endRule()
                  .build())
          .create();
      admin
          .rbac()
          .roleBindings()
          .inNamespace(namespace)
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName("reader-reads-secrets")
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "Role", "secret-reader")
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName("reader")
                  .withNamespace(namespace)
                  .endSubject()
                  .build())
          .create();

      // The authorizer sees RBAC objects through an informer: allow a moment to propagate.
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreException(KubernetesClientException.class)
          .until(() -> reader.secrets().inNamespace(namespace).list() != null);
    }
  }

  @Test
  void reportsStaleUpdateAsConflict() {
    ConfigMap created =
        admin.configMaps().inNamespace(namespace).resource(configMap("contended")).create();
    ConfigMap first = new ConfigMapBuilder(created).addToData("writer", "first").build();
    ConfigMap second = new ConfigMapBuilder(created).addToData("writer", "second").build();
    admin.configMaps().inNamespace(namespace).resource(first).update();

    assertThatThrownBy(() -> admin.configMaps().inNamespace(namespace).resource(second).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  private ConfigMap configMap(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withData(Map.of("key", "value"))
        .build();
  }
}
