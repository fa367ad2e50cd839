package io.tunnelier.e2e.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.operator.config.OperatorConfig;
import io.tunnelier.operator.reconciler.OperatorSettings;
import io.tunnelier.operator.runtime.TunnelierOperator;
import java.time.Clock;

/**
 * The real operator, run in the test JVM against the test's API server with its own client, as
 * {@code Main} runs it in a pod (leader election optional, never exiting the JVM).
 */
final class OperatorUnderTest implements AutoCloseable {
  private final KubernetesClient client;
  private final TunnelierOperator operator;

  private OperatorUnderTest(KubernetesClient client, TunnelierOperator operator) {
    this.client = client;
    this.operator = operator;
  }

  static OperatorUnderTest start(
      ControlPlane controlPlane, String namespace, OperatorConfig config, String leaseName) {
    KubernetesClient client =
        new KubernetesClientBuilder().withConfig(controlPlane.adminConfig()).build();
    TunnelierOperator operator =
        new TunnelierOperator(
            client, new OperatorSettings(config, namespace, Clock.systemUTC()), leaseName, false);
    operator.start();
    return new OperatorUnderTest(client, operator);
  }

  TunnelierOperator operator() {
    return operator;
  }

  @Override
  public void close() {
    operator.close();
    client.close();
  }
}
