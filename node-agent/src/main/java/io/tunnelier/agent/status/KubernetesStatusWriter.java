package io.tunnelier.agent.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this node's {@code status.nodes[]} entry by server-side apply on the status subresource,
 * with its own field manager {@code tunnelier-agent/<node>}: the list is a map keyed by name, so
 * each node owns exactly its entry and never touches the operator's fields or other nodes'. {@code
 * force} only takes over this entry's own fields. Rate-limited per Tunnel: an entry whose
 * conditions did not change is written at most every {@code minInterval} x 6 (counters, RTT), a
 * changed one at most every {@code minInterval}.
 */
public final class KubernetesStatusWriter implements StatusSink {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesStatusWriter.class);
  private static final ObjectMapper JSON = Serialization.jsonMapper();
  private final KubernetesClient client;
  private final String fieldManager;
  private final Duration minInterval;
  private final Map<String, NodeStatus> written = new HashMap<>();
  private final Map<String, Long> writtenAt = new HashMap<>();

  public KubernetesStatusWriter(KubernetesClient client, String nodeName, Duration minInterval) {
    this.client = client;
    this.fieldManager = "tunnelier-agent/" + nodeName;
    this.minInterval = minInterval;
  }

  @Override
  public synchronized void report(String tunnelKey, NodeStatus entry) {
    long now = System.nanoTime();
    Long last = writtenAt.get(tunnelKey);
    boolean same = NodeStatusBuilder.sameExceptCounters(written.get(tunnelKey), entry);
    long wait = (same ? minInterval.multipliedBy(6) : minInterval).toNanos();
    if (last != null && now - last < wait) {
      return;
    }
    String[] nn = tunnelKey.split("/", 2);
    try {
      client
          .resources(Tunnel.class)
          .inNamespace(nn[0])
          .withName(nn[1])
          .subresource("status")
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.SERVER_SIDE_APPLY)
                  .withFieldManager(fieldManager)
                  .withForce(true)
                  .build(),
              applyPatch(nn[0], nn[1], entry));
      written.put(tunnelKey, entry);
      writtenAt.put(tunnelKey, now);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        written.remove(tunnelKey);
        writtenAt.remove(tunnelKey);
        return; // the Tunnel is gone: nothing to report to
      }
      LOG.warn(
          "msg=\"status write failed\" tunnel={} code={} error=\"{}\"",
          tunnelKey,
          e.getCode(),
          e.getMessage());
    }
  }

  /** The apply configuration: identity plus only this node's entry. */
  static String applyPatch(String namespace, String name, NodeStatus entry) {
    ObjectNode root = JSON.createObjectNode();
    root.put("apiVersion", Tunnel.GROUP + "/" + Tunnel.VERSION);
    root.put("kind", "Tunnel");
    ObjectNode meta = root.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", namespace);
    root.putObject("status").putArray("nodes").add(JSON.valueToTree(entry));
    return root.toString();
  }
}
