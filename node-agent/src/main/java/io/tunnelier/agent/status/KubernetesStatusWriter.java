package io.tunnelier.agent.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tunnelier.agent.DaemonThreads;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Reading;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this node's {@code status.nodes[]} entry by server-side apply on the status subresource,
 * with its own field manager {@code tunnelier-agent/<node>}: the list is a map keyed by name, so
 * each node owns exactly its entry and never touches the operator's fields or other nodes'. {@code
 * force} only takes over this entry's own fields. Rate-limited per Tunnel: a changed entry is
 * written at most every {@code minInterval}, held back until then rather than dropped. An entry
 * whose conditions did not change (counters, RTT) is written again at most every {@code
 * minInterval} x 6, and, when this agent's heartbeat Lease says it is alive ({@code
 * livenessInLease}), only on the active gateway, whose measurements the operator mirrors into the
 * Tunnel's status, and then when a reading moved ({@link #refreshEvery}): every write of a Tunnel
 * goes, whole and with every node's entry, to every agent's watch, so members and standbys that
 * rewrote unchanged entries to show they were alive cost the cluster traffic that grows with the
 * cube of the nodes, and a gateway that rewrote its byte counters every half minute was the largest
 * writer of a quiet cluster.
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
  private final boolean livenessInLease;
  private final ScheduledExecutorService writers;
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

  /**
   * @param livenessInLease whether this agent renews its heartbeat Lease, which then says it is
   *     alive instead of its entries
   */
  public KubernetesStatusWriter(
      KubernetesClient client, String nodeName, Duration minInterval, boolean livenessInLease) {
    this(client, nodeName, minInterval, livenessInLease, null);
  }

  /** Liveness in the entries; with {@code write} in place of the API server (tests). */
  KubernetesStatusWriter(
      KubernetesClient client, String nodeName, Duration minInterval, Write write) {
    this(client, nodeName, minInterval, false, write);
  }

  /** With {@code write} in place of the API server (tests), when not null. */
  KubernetesStatusWriter(
      KubernetesClient client,
      String nodeName,
      Duration minInterval,
      boolean livenessInLease,
      Write write) {
    this.client = client;
    this.fieldManager = "tunnelier-agent/" + nodeName;
    this.minInterval = minInterval;
    this.livenessInLease = livenessInLease;
    this.write = write != null ? write : this::applyToServer;
    this.writers =
        Executors.newScheduledThreadPool(WRITERS, DaemonThreads.numbered("status-writer"));
  }

  @Override
  public synchronized void report(String tunnelKey, NodeStatus entry) {
    if (waiting.containsKey(tunnelKey) || inFlight.contains(tunnelKey)) {
      waiting.put(tunnelKey, entry); // newer than what waits; written when the running one ends
      return;
    }
    long delay = delayNanos(tunnelKey, entry);
    if (delay < 0) {
      return;
    }
    waiting.put(tunnelKey, entry);
    submit(tunnelKey, delay);
  }

  /**
   * When {@code entry} may go out: -1 never (nothing new but counters, and the last write is
   * recent: a later report carries them), else in so many nanoseconds. A change is delayed, not
   * dropped, while the last write is younger than the interval: dropped, it waited for the agent's
   * next pass, up to a resync period (a minute) with nothing else going on.
   */
  private long delayNanos(String tunnelKey, NodeStatus entry) {
    Long last = writtenAt.get(tunnelKey);
    if (last == null) {
      return 0;
    }
    long since = System.nanoTime() - last;
    NodeStatus shown = written.get(tunnelKey);
    if (NodeStatusBuilder.sameExceptCounters(shown, entry)) {
      Optional<Duration> every = refreshEvery(shown, entry, minInterval, livenessInLease);
      return every.isEmpty() || since < every.get().toNanos() ? -1 : 0;
    }
    return Math.max(0, minInterval.toNanos() - since);
  }

  /**
   * How long after the last write an entry that differs from the {@code shown} one only in its
   * measurements is written again; empty: not at all. Without the heartbeat Lease the entries say
   * the agent is alive: every {@code minInterval} x 6. With it, only the active gateway's
   * measurements are read (the operator copies them into {@code status.peer}): a first value (the
   * first RTT, handshake or bytes) after {@code minInterval}, a reading that moved after {@link
   * Reading#MOVED_EVERY}, bytes and jitter after {@link Reading#UNMOVED_EVERY}; the agent's {@code
   * /metrics} has the latest. Pure.
   */
  static Optional<Duration> refreshEvery(
      NodeStatus shown, NodeStatus entry, Duration minInterval, boolean livenessInLease) {
    if (!livenessInLease) {
      return Optional.of(minInterval.multipliedBy(6));
    }
    if (entry.getRole() != NodeRole.GATEWAY) {
      return Optional.empty(); // nothing to refresh: the Lease says the agent is alive
    }
    if (NodeStatusBuilder.firstReadings(shown, entry)) {
      return Optional.of(minInterval); // news: the first RTT, handshake or bytes
    }
    Duration every =
        NodeStatusBuilder.readingsMoved(shown, entry) ? Reading.MOVED_EVERY : Reading.UNMOVED_EVERY;
    return Optional.of(every.compareTo(minInterval) < 0 ? minInterval : every);
  }

  private void submit(String tunnelKey, long delayNanos) {
    inFlight.add(tunnelKey);
    try {
      writers.schedule(() -> writeNext(tunnelKey), delayNanos, TimeUnit.NANOSECONDS);
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
      NodeStatus next = waiting.get(tunnelKey);
      if (next != null) {
        // Reported again while this one was on its way: judged like any report, so an entry with
        // nothing new but counters is dropped (written at once, it doubled every agent's writes
        // under load, when passes come faster than a busy API server answers).
        long delay = delayNanos(tunnelKey, next);
        if (delay < 0) {
          waiting.remove(tunnelKey);
        } else {
          submit(tunnelKey, delay);
        }
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
