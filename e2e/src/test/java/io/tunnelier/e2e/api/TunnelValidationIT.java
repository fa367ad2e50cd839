package io.tunnelier.e2e.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.InvalidTunnelCorpus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.k8s.TunnelCrd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API server itself rejects every bad Tunnel in the corpus with the message the corpus names,
 * and accepts every Tunnel in examples/: validation lives in the CRD (OpenAPI + CEL), so users get
 * it from {@code kubectl apply} before anything reconciles.
 */
@ExtendWith(ControlPlaneExtension.class)
class TunnelValidationIT {
  private static final String NAMESPACE = "validation-it";
  private static KubernetesClient admin;

  @BeforeAll
  static void installCrd(ControlPlane controlPlane) {
    admin = controlPlane.adminClient();
    TunnelCrd.install(admin);
    for (String ns : List.of(NAMESPACE, "scraping", "default")) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .createOr(existing -> existing.update());
    }
  }

  static List<InvalidTunnelCorpus.Case> corpus() {
    return InvalidTunnelCorpus.load();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void badTunnelIsRejectedWithItsMessage(InvalidTunnelCorpus.Case c) {
    GenericKubernetesResource tunnel = c.tunnel();
    tunnel.getMetadata().setNamespace(NAMESPACE);
    assertThatThrownBy(() -> admin.resource(tunnel).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(c.expect());
  }

  static List<Path> examples() throws IOException {
    Path dir = Path.of(System.getProperty("tunnelier.repo.root", "..")).resolve("examples");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleIsAccepted(Path example) throws IOException {
    Tunnel tunnel = admin.resources(Tunnel.class).load(Files.newInputStream(example)).item();
    Tunnel created = admin.resource(tunnel).create();
    try {
      assertThat(created.getSpec().getType()).isEqualTo(tunnel.getSpec().getType());
      // Defaults come from the schema, so every client sees the same effective spec.
      assertThat(created.getSpec().getDatapath()).isNotNull();
      assertThat(created.getSpec().getMssClamp()).isNotNull();
    } finally {
      admin.resource(created).delete();
    }
  }

  @Test
  void typeIsImmutable() {
    Tunnel tunnel =
        Serialization.unmarshal(
            """
                apiVersion: tunnelier.io/v1alpha1
                kind: Tunnel
                metadata: {name: immutable-type, namespace: validation-it}
                spec:
                  type: Egress
                  peer: {endpoint: "203.0.113.10:51820"}
                  egress: {podSelector: {matchLabels: {app: scraper}}}
                """,
            Tunnel.class);
    Tunnel created = admin.resource(tunnel).create();
    try {
      created.getSpec().setType(io.tunnelier.api.v1alpha1.TunnelType.SITE_TO_SITE);
      created.getSpec().setEgress(null);
      var siteToSite = new io.tunnelier.api.v1alpha1.SiteToSiteSpec();
      siteToSite.setRemoteCIDRs(List.of("100.80.0.0/16"));
      created.getSpec().setSiteToSite(siteToSite);
      assertThatThrownBy(() -> admin.resource(created).update())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("type cannot change: create a new Tunnel instead");
    } finally {
      admin.resources(Tunnel.class).inNamespace(NAMESPACE).withName("immutable-type").delete();
    }
  }
}
