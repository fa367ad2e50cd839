package io.tunnelier.cli;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tunnelier.api.v1alpha1.AgentHeartbeat;
import io.tunnelier.api.v1alpha1.AgentLiveness;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a {@link Snapshot} from the API server with the user's credentials. What the user may not
 * read (Nodes, pods in the agents' namespace, Secrets) is recorded as such, and the checks say what
 * they could not see.
 */
public final class SnapshotReader {
  /** The agent DaemonSet's pod label (the operator's NodeAgentDaemonSetSpec.SELECTOR). */
  public static final String AGENT_LABEL = "app.kubernetes.io/name";

  public static final String AGENT_NAME = "tunnelier-node-agent";

  private final KubernetesClient client;
  private final String agentNamespace;

  /**
   * @param agentNamespace where the agent pods run; null: look in every namespace
   */
  public SnapshotReader(KubernetesClient client, String agentNamespace) {
    this.client = client;
    this.agentNamespace = agentNamespace;
  }

  /** The Tunnel, or null when there is none of that name. */
  public Tunnel tunnel(String namespace, String name) {
    return client.resources(Tunnel.class).inNamespace(namespace).withName(name).get();
  }

  public List<Tunnel> tunnels(String namespace) {
    var op = client.resources(Tunnel.class);
    return (namespace == null ? op.inAnyNamespace() : op.inNamespace(namespace))
        .list().getItems().stream()
            .sorted(
                java.util.Comparator.comparing((Tunnel t) -> t.getMetadata().getNamespace())
                    .thenComparing(t -> t.getMetadata().getName()))
            .toList();
  }

  public List<Pod> agentPods() {
    var pods = client.pods();
    return (agentNamespace == null ? pods.inAnyNamespace() : pods.inNamespace(agentNamespace))
        .withLabel(AGENT_LABEL, AGENT_NAME)
        .list()
        .getItems();
  }

  /**
   * Each node's heartbeat Lease renewal, by node (what says an agent is alive: {@link
   * AgentLiveness}); null when the Leases cannot be read (a user without access to the agents'
   * namespace).
   */
  public Map<String, Instant> leaseRenewals() {
    try {
      var leases = client.leases();
      return AgentLiveness.renewals(
          (agentNamespace == null ? leases.inAnyNamespace() : leases.inNamespace(agentNamespace))
              .withLabel(AgentHeartbeat.LABEL)
              .list()
              .getItems());
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  public Snapshot read(Tunnel tunnel) {
    String ns = tunnel.getMetadata().getNamespace();
    String name = tunnel.getMetadata().getName();
    Snapshot s = Snapshot.of(tunnel, Instant.now());
    String nodesError = null;
    String podsError = null;
    String secretError = null;
    try {
      s = s.withNodes(client.nodes().list().getItems());
    } catch (KubernetesClientException e) {
      nodesError = reason(e);
    }
    s = s.withLeaseRenewals(leaseRenewals());
    try {
      s = s.withAgentPods(agentPods());
    } catch (KubernetesClientException e) {
      podsError = reason(e);
    }
    try {
      List<Event> events =
          client
              .v1()
              .events()
              .inNamespace(ns)
              .withField("involvedObject.name", name)
              .list()
              .getItems()
              .stream()
              .filter(
                  ev ->
                      ev.getInvolvedObject() != null
                          && "Tunnel".equals(ev.getInvolvedObject().getKind()))
              .toList();
      s = s.withEvents(events);
    } catch (KubernetesClientException e) {
      // Events are an extra: without them the checks still run.
    }
    try {
      // Only the key names: the values stay on the server (peer.yaml holds the far end's key).
      Secret secret = client.secrets().inNamespace(ns).withName(name + "-peer-config").get();
      if (secret != null) {
        Set<String> keys = new TreeSet<>();
        if (secret.getData() != null) {
          keys.addAll(secret.getData().keySet());
        }
        s = s.withPeerConfigKeys(keys);
      }
    } catch (KubernetesClientException e) {
      secretError = reason(e);
    }
    return s.withErrors(
        s.nodes() == null ? nodesError : null,
        s.agentPods() == null ? podsError : null,
        secretError);
  }

  static String reason(KubernetesClientException e) {
    return e.getCode() == 403
        ? "forbidden (HTTP 403)"
        : "HTTP " + e.getCode() + " " + e.getMessage();
  }
}
