package io.tunnelier.agent.cluster;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Secrets by namespace and name, read the way fabric8's {@code get()} reads them: null when absent,
 * a {@link KubernetesClientException} when the API server fails. The fault switch makes every GET
 * fail (an API server outage) until it is turned off.
 */
public final class FakeSecrets implements KeySecrets.Getter {
  private final Map<String, Secret> secrets = new HashMap<>();
  private boolean outage;
  private int gets;

  public synchronized void put(String namespace, String name, Map<String, String> data) {
    Map<String, String> encoded = new HashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(
                k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.US_ASCII))));
    secrets.put(
        namespace + "/" + name,
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .endMetadata()
            .withData(encoded)
            .build());
  }

  public synchronized void delete(String namespace, String name) {
    secrets.remove(namespace + "/" + name);
  }

  /** While on, every GET fails as it does when the API server cannot be reached. */
  public synchronized void outage(boolean on) {
    outage = on;
  }

  public synchronized int gets() {
    return gets;
  }

  @Override
  public synchronized Secret get(String namespace, String name) {
    gets++;
    if (outage) {
      throw new KubernetesClientException(
          "Operation: [get] for kind: [Secret] with name: ["
              + name
              + "] in namespace: ["
              + namespace
              + "] failed.",
          new java.net.ConnectException("Connection refused (injected)"));
    }
    return secrets.get(namespace + "/" + name);
  }
}
