package io.tunnelier.agent.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tunnelier.agent.DaemonThreads;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this node's {@code status.nodes[]} entry by server-side apply on the status subresource,
 * with its own field manager {@code tunnelier-agent/<node>}: the list is a map keyed by name, so
 * each node owns exactly its entry and never touches the operator's fields or other nodes'. {@code
 * force} only takes over this entry's own fields. Rate-limited per Tunnel: an entry whose
 * conditions did not change is written at most every {@code minInterval} x 6 (counters, RTT), a
 * changed one at most every {@code minInterval}.
 *
 * <p>Writes go out on {@value #WRITERS} threads, never blocking the agent loop: one after the
 * other, a gateway with 200 new tunnels spent half a minute (150 ms a write on a busy API server)
 * before its loop could open the next tunnels. At most one write per Tunnel is in flight; what is
 * reported meanwhile replaces what waits, so the latest entry wins and order is kept.
 */
public final class KubernetesStatusWriter implements StatusSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesStatusWriter.class);
  static final int WRITERS = 4;
  private final KubernetesClient client;
  private final String fieldManager;
  private final Duration minInterval;
  private final ExecutorService writers;
  private final Map<String, NodeStatus> written = new HashMap<>();
  private final Map<String, Long> writtenAt = new HashMap<>();
  // Per Tunnel: the entry waiting to be written (absent when none), and whether a write runs.
  private final Map<String, NodeStatus> waiting = new HashMap<>();
  private final Set<String> inFlight = new HashSet<>();

  /** One write of one entry; false when it did not land (the next pass reports again). */
  interface Write {
    boolean apply(String tunnelKey, NodeStatus entry);
  }

  private final Write write;

  public KubernetesStatusWriter(KubernetesClient client, String nodeName, Duration minInterval) {
    this(client, nodeName, minInterval, null);
  }

  /** With {@code write} in place of the API server (tests), when not null. */
  KubernetesStatusWriter(
      KubernetesClient client, String nodeName, Duration minInterval, Write write) {
    this.client = client;
    this.fieldManager = "tunnelier-agent/" + nodeName;
    this.minInterval = minInterval;
    this.write = write != null ? write : this::applyToServer;
    this.writers = Executors.newFixedThreadPool(WRITERS, DaemonThreads.numbered("status-writer"));
  }

  @Override
  public synchronized void report(String tunnelKey, NodeStatus entry) {
    if (waiting.containsKey(tunnelKey) || inFlight.contains(tunnelKey)) {
      waiting.put(tunnelKey, entry); // newer than what waits; written when the running one ends
      return;
    }
    long now = System.nanoTime();
    Long last = writtenAt.get(tunnelKey);
    boolean same = NodeStatusBuilder.sameExceptCounters(written.get(tunnelKey), entry);
    long wait = (same ? minInterval.multipliedBy(6) : minInterval).toNanos();
    if (last != null && now - last < wait) {
      return;
    }
    waiting.put(tunnelKey, entry);
    submit(tunnelKey);
  }

  private void submit(String tunnelKey) {
    inFlight.add(tunnelKey);
    try {
      writers.execute(() -> writeNext(tunnelKey));
    } catch (RejectedExecutionException closed) {
      inFlight.remove(tunnelKey);
      waiting.remove(tunnelKey);
    }
  }

  private void writeNext(String tunnelKey) {
    NodeStatus entry;
    synchronized (this) {
      entry = waiting.remove(tunnelKey);
    }
    boolean ok = entry == null || write.apply(tunnelKey, entry);
    synchronized (this) {
      if (ok && entry != null) {
        written.put(tunnelKey, entry);
        writtenAt.put(tunnelKey, System.nanoTime());
      }
      inFlight.remove(tunnelKey);
      if (waiting.containsKey(tunnelKey)) {
        submit(tunnelKey);
      }
      notifyAll(); // close() may be waiting for the last writes
    }
  }

  /** One server-side apply; false when it failed (the next pass reports again). */
  private boolean applyToServer(String tunnelKey, NodeStatus entry) {
    String[] nn = tunnelKey.split("/", 2);
    try {
      // resource(object).patch, not withName(name).patch(String): the latter GETs the Tunnel
      // before every write (half of this agent's requests with 200 Tunnels).
      client
          .resources(Tunnel.class)
          .inNamespace(nn[0])
          .resource(applyObject(nn[0], nn[1], entry))
          .subresource("status")
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.SERVER_SIDE_APPLY)
                  .withFieldManager(fieldManager)
                  .withForce(true)
                  .build());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        synchronized (this) {
          written.remove(tunnelKey);
          writtenAt.remove(tunnelKey);
          waiting.remove(tunnelKey);
        }
        return false; // the Tunnel is gone: nothing to report to
      }
      LOG.atWarn()
          .setMessage("status write failed")
          .addKeyValue("tunnel", tunnelKey)
          .addKeyValue("code", e.getCode())
          .addKeyValue("error", e.getMessage())
          .log();
      return false;
    }
  }

  /**
   * Lets the writes already handed over (and what waits behind them) finish, for at most {@code
   * timeout}.
   */
  public void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (!inFlight.isEmpty() || !waiting.isEmpty()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          break;
        }
        try {
          wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    writers.shutdownNow();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  /** The apply configuration as an object: identity plus only this node's entry. */
  static Tunnel applyObject(String namespace, String name, NodeStatus entry) {
    Tunnel t = new Tunnel();
    t.getMetadata().setName(name);
    t.getMetadata().setNamespace(namespace);
    TunnelStatus status = new TunnelStatus();
    status.setNodes(List.of(entry));
    t.setStatus(status);
    return t;
  }
}
