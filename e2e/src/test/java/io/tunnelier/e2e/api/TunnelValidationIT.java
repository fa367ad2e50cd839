package io.tunnelier.e2e.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.InvalidTunnelCorpus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.k8s.TunnelCrd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

  private static final String ADDRESS_RULE = "siteToSite over GRE or GREoverUDP needs spec.address";

  private static Tunnel greSiteToSite(String name) {
    return Serialization.unmarshal(
        """
            apiVersion: tunnelier.io/v1alpha1
            kind: Tunnel
            metadata: {name: %s, namespace: validation-it}
            spec:
              type: SiteToSite
              encapsulation: GRE
              peer: {endpoint: "198.51.100.20", greKey: 7}
              siteToSite: {remoteCIDRs: ["100.80.0.0/16"]}
            """
            .formatted(name),
        Tunnel.class);
  }

  private static List<ValidationRule> specRules(CustomResourceDefinition crd) {
    return crd.getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec")
        .getXKubernetesValidations();
  }

  /**
   * A GRE site-to-site Tunnel without spec.address, stored before the CRD required one (a cluster
   * upgraded from an older Tunnelier), can still be updated, relabelled, given a status and deleted
   * while its address stays empty and its encapsulation unchanged; changing the encapsulation
   * without an address is refused, and giving it an address is accepted.
   */
  @Test
  void aGreSiteToSiteTunnelStoredWithoutAddressStaysUpdatable() {
    var crds = admin.apiextensions().v1().customResourceDefinitions().withName(TunnelCrd.NAME);
    List<ValidationRule> committed = List.copyOf(specRules(crds.get()));
    assertThat(committed).anyMatch(r -> r.getMessage().startsWith(ADDRESS_RULE));
    Tunnel stored;
    try {
      // The CRD of an older version: the same without the rule.
      crds.edit(
          crd -> {
            specRules(crd).removeIf(r -> r.getMessage().startsWith(ADDRESS_RULE));
            return crd;
          });
      stored =
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreException(KubernetesClientException.class)
              .until(() -> admin.resource(greSiteToSite("stored-before-rule")).create(), t -> true);
    } finally {
      crds.edit(
          crd -> {
            specRules(crd).clear();
            specRules(crd).addAll(committed);
            return crd;
          });
    }
    // The rule is back once a new Tunnel like it is refused again.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              try {
                admin.resource(greSiteToSite("probe-rule-back")).create();
                admin.resource(greSiteToSite("probe-rule-back")).delete();
                return false;
              } catch (KubernetesClientException e) {
                return e.getCode() == 422 && e.getMessage().contains(ADDRESS_RULE);
              }
            });
    var storedTunnel =
        admin
            .resources(Tunnel.class)
            .inNamespace(NAMESPACE)
            .withName(stored.getMetadata().getName());
    try {
      storedTunnel.edit(
          t -> {
            t.getMetadata().setLabels(Map.of("team", "net"));
            return t;
          });
      storedTunnel.edit(
          t -> {
            t.getSpec().setMtu(1400);
            return t;
          });
      storedTunnel.editStatus(
          t -> {
            t.setStatus(new TunnelStatus());
            t.getStatus().setTunnelAddress("100.96.0.2/31");
            return t;
          });
      assertThatThrownBy(
              () ->
                  storedTunnel.edit(
                      t -> {
                        t.getSpec().setEncapsulation(Encapsulation.GRE_OVER_UDP);
                        t.getSpec().getPeer().setEndpoint("198.51.100.20:4754");
                        return t;
                      }))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("spec.address: Required value: " + ADDRESS_RULE);
      Tunnel fixed =
          storedTunnel.edit(
              t -> {
                t.getSpec().setAddress("100.98.0.0/31");
                return t;
              });
      assertThat(fixed.getSpec().getAddress()).isEqualTo("100.98.0.0/31");
      assertThat(fixed.getSpec().getMtu()).isEqualTo(1400);
    } finally {
      storedTunnel.delete();
    }
  }
}
