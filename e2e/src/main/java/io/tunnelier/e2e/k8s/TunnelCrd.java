package io.tunnelier.e2e.k8s;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Installs the Tunnel CRD exactly as users get it: the committed YAML shipped in the crds jar. */
public final class TunnelCrd {
  public static final String RESOURCE = "META-INF/tunnelier/tunnels.tunnelier.io-v1.yml";
  public static final String NAME = "tunnels.tunnelier.io";

  private TunnelCrd() {}

  /** Server-side applies the CRD and waits until it is Established. Idempotent. */
  public static CustomResourceDefinition install(KubernetesClient client) {
    try (InputStream in = TunnelCrd.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath (crds jar)");
      }
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(crd)
          .fieldManager("tunnelier-tests")
          .forceConflicts()
          .serverSideApply();
      return client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(NAME)
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      // a fresh API server writes the status before its conditions
                      && c.getStatus().getConditions() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              cond ->
                                  "Established".equals(cond.getType())
                                      && "True".equals(cond.getStatus())),
              30,
              TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
