package io.tunnelier.operator.reconciler;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.tunnelier.api.v1alpha1.AgentHeartbeat;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.gateway.AgentHeartbeats;
import io.tunnelier.operator.status.AgentRenewals;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Feeds {@link AgentHeartbeats} (Leases on gateway duty) and {@link AgentRenewals} (all) from the
 * agents' heartbeat Leases (an informer on the operator's namespace, label {@link
 * AgentHeartbeat#LABEL}), and reconciles the Tunnels when a heartbeat stops or comes back: a timer
 * looks a few times per timeout, since a stopped heartbeat is the absence of an event. Renewals
 * themselves reconcile nothing.
 */
public final class HeartbeatEvents extends AbstractEventSource<Lease, Tunnel> {
  public static final String NAME = "agent-heartbeats";

  private final KubernetesClient client;
  private final String namespace;
  private final AgentHeartbeats heartbeats;
  private final AgentRenewals renewals;
  private final Duration timeout;
  private final Supplier<Stream<Tunnel>> tunnels;
  private final LongSupplier nanos;
  private SharedIndexInformer<Lease> informer;
  private ScheduledExecutorService timer;

  public HeartbeatEvents(
      KubernetesClient client,
      String namespace,
      AgentHeartbeats heartbeats,
      AgentRenewals renewals,
      Duration timeout,
      Supplier<Stream<Tunnel>> tunnels,
      LongSupplier nanos) {
    super(Lease.class, NAME);
    this.client = client;
    this.namespace = namespace;
    this.heartbeats = heartbeats;
    this.renewals = renewals;
    this.timeout = timeout;
    this.tunnels = tunnels;
    this.nanos = nanos;
  }

  @Override
  public void start() {
    informer =
        client
            .leases()
            .inNamespace(namespace)
            .withLabel(AgentHeartbeat.LABEL) // on duty or idle: both say the agent is alive
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Lease lease) {
                    record(lease);
                  }

                  @Override
                  public void onUpdate(Lease older, Lease newer) {
                    record(newer);
                  }

                  @Override
                  public void onDelete(Lease lease, boolean finalStateUnknown) {
                    String node = holder(lease);
                    if (node != null) {
                      heartbeats.forget(node);
                      renewals.forget(node);
                    }
                  }
                },
                0);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat-expiry");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(50, timeout.toMillis() / 6);
    timer.scheduleWithFixedDelay(this::look, period, period, TimeUnit.MILLISECONDS);
    super.start();
  }

  /**
   * A Lease on gateway duty is a heartbeat to fail over by; an idle one (its node has no gateway
   * duty) is not expected every interval, as a deleted one was before. Both say when the agent was
   * last alive.
   */
  private void record(Lease lease) {
    String node = holder(lease);
    if (node == null) {
      return;
    }
    var labels = lease.getMetadata().getLabels();
    if (labels != null && AgentHeartbeat.LABEL_VALUE.equals(labels.get(AgentHeartbeat.LABEL))) {
      heartbeats.observe(node, lease.getMetadata().getResourceVersion(), nanos.getAsLong());
    } else {
      heartbeats.forget(node);
    }
    if (lease.getSpec().getRenewTime() != null) {
      renewals.record(node, lease.getSpec().getRenewTime().toInstant());
    }
  }

  private static String holder(Lease lease) {
    return lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** A heartbeat stopped or came back: every Tunnel elects again (such changes are rare). */
  private void look() {
    try {
      if (isRunning() && heartbeats.changedSinceLastLook(nanos.getAsLong())) {
        tunnels
            .get()
            .forEach(t -> getEventHandler().handleEvent(new Event(ResourceID.fromResource(t))));
      }
    } catch (RuntimeException e) {
      // The timer must keep running; the next look tries again.
    }
  }

  @Override
  public void stop() {
    super.stop();
    if (timer != null) {
      timer.shutdownNow();
    }
    if (informer != null) {
      informer.close();
    }
  }

  @Override
  public Set<Lease> getSecondaryResources(Tunnel primary) {
    return Set.of();
  }
}
