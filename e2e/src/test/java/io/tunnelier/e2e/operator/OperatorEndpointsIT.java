package io.tunnelier.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.k8s.TunnelCrd;
import io.tunnelier.operator.config.OperatorConfig;
import io.tunnelier.operator.runtime.HealthServer;
import io.tunnelier.operator.runtime.HttpCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** /healthz, /readyz and /metrics of a running operator, over HTTP on loopback. */
@ExtendWith(ControlPlaneExtension.class)
class OperatorEndpointsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ControlPlane controlPlane;
  private final KubernetesClient admin;
  private final Cluster cluster;

  OperatorEndpointsIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.admin = controlPlane.adminClient();
    this.cluster = new Cluster(admin);
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthReadinessAndReconcileMetrics() throws Exception {
    TunnelCrd.install(admin);
    String id = UUID.randomUUID().toString().substring(0, 6);
    String operatorNamespace = "tunnelier-ep-" + id;
    String namespace = "ep-" + id;
    cluster.createNamespace(operatorNamespace);
    cluster.createNamespace(namespace);
    try (OperatorUnderTest operator =
            OperatorUnderTest.start(
                controlPlane,
                operatorNamespace,
                OperatorConfig.defaults()
                    .withAddressPool("100.96.200.0/24")
                    .withFinalizerWait(Duration.ofSeconds(3)),
                null);
        HealthServer health =
            new HealthServer(
                0,
                operator.operator()::started,
                operator.operator()::started,
                operator.operator().registry())) {
      assertThat(get(health.port(), "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(health.port(), "/readyz").statusCode()).isEqualTo(200);
      // The chart's `helm test` runs this check against the operator's Service.
      String base = "http://127.0.0.1:" + health.port();
      assertThat(HttpCheck.run(new String[] {base + "/readyz", base + "/metrics"}, System.out))
          .isZero();
      assertThat(HttpCheck.run(new String[] {base + "/readyz", base + "/nothing"}, System.out))
          .isOne();
      assertThat(HttpCheck.run(new String[] {}, System.out)).isOne();

      cluster.createTunnel(
          namespace,
          """
          apiVersion: tunnelier.io/v1alpha1
          kind: Tunnel
          metadata: {name: measured}
          spec:
            type: Egress
            encapsulation: GRE
            peer: {endpoint: "203.0.113.50", greKey: 9}
            gateway: {nodeSelector: {it.tunnelier.io/none: "none"}}
            egress: {podSelector: {matchLabels: {app: scraper}}}
          """);
      await()
          .atMost(WAIT)
          .until(
              () -> {
                String metrics = get(health.port(), "/metrics").body();
                System.out.println(
                    "=== operator metric names ===\n"
                        + metrics
                            .lines()
                            .filter(l -> l.startsWith("operator_sdk"))
                            .map(l -> l.replaceAll("[{ ].*", ""))
                            .distinct()
                            .sorted()
                            .collect(java.util.stream.Collectors.joining("\n")));
                return metrics.contains("operator_sdk_reconciliations_started_total")
                    && metrics.contains("operator_sdk_reconciliations_success_total");
              });
      String metrics = get(health.port(), "/metrics").body();
      assertThat(metrics)
          .contains(
              "operator_sdk_controllers_execution_reconcile",
              "jvm_memory_used_bytes",
              "jvm_threads_live_threads",
              "process_cpu_usage",
              "process_uptime_seconds");
      assertThat(metrics.lines().filter(l -> l.startsWith("operator_sdk")))
          .as("JOSDK's meters are per controller, not per Tunnel (no name tag)")
          .isNotEmpty()
          .noneMatch(l -> l.contains("\"measured\""));
      assertThat(get(health.port(), "/metrics").headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));

      admin.resources(Tunnel.class).inNamespace(namespace).withName("measured").delete();
      await().atMost(WAIT).until(() -> cluster.tunnel(namespace, "measured") == null);
    } finally {
      admin.namespaces().withName(namespace).delete();
      admin.namespaces().withName(operatorNamespace).delete();
    }
  }
}
