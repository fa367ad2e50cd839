package io.tunnelier.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.address.Assignment;
import io.tunnelier.operator.status.EventRecorder;
import io.tunnelier.operator.status.StatusComparison;
import io.tunnelier.operator.status.TunnelEvents;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the operator's part of a Tunnel's status (server-side apply, never the agents' {@code
 * nodes[]}) and records an Event for each transition it makes, the way Flink's operator keeps a
 * {@code StatusRecorder} apart from its reconciler.
 */
final class StatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

  private final EventRecorder events;

  StatusWriter(EventRecorder events) {
    this.events = events;
  }

  /**
   * Records newly assigned addresses in the status at once, before anything uses them, so that a
   * restart at any later point finds them there.
   */
  Tunnel persistNewAddresses(Tunnel tunnel, Assignment assignment, Context<Tunnel> context) {
    Optional<AddressPair> pair = assignment.assigned();
    TunnelStatus current = tunnel.getStatus();
    if (pair.isEmpty()
        || (current != null
            && pair.get().local().toString().equals(current.getTunnelAddress())
            && pair.get().peer().toString().equals(current.getPeerAddress()))) {
      return tunnel;
    }
    TunnelStatus withAddresses = StatusComparison.operatorPart(current);
    withAddresses.setTunnelAddress(pair.get().local().toString());
    withAddresses.setPeerAddress(pair.get().peer().toString());
    LOG.atInfo()
        .setMessage("addresses assigned")
        .addKeyValue(
            "tunnel", tunnel.getMetadata().getNamespace() + "/" + tunnel.getMetadata().getName())
        .addKeyValue("tunnelAddress", withAddresses.getTunnelAddress())
        .addKeyValue("peerAddress", withAddresses.getPeerAddress())
        .log();
    return PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
        tunnel, statusPatch(tunnel, withAddresses), context);
  }

  /** Patches the status when the operator's part of it changes, and records the transitions. */
  void writeStatus(Tunnel tunnel, TunnelStatus desired, Context<Tunnel> context) {
    if (!StatusComparison.differs(tunnel.getStatus(), desired)) {
      return;
    }
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
        tunnel, statusPatch(tunnel, desired), context);
    for (TunnelEvents.Event event : TunnelEvents.transitions(tunnel.getStatus(), desired)) {
      events.record(tunnel, event);
    }
  }

  /**
   * The server-side apply body for the status: only the operator's fields. {@code nodes} is left
   * out, so the agents' entries (other field managers) are never touched.
   */
  static Tunnel statusPatch(Tunnel tunnel, TunnelStatus status) {
    Tunnel patch = new Tunnel();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(tunnel.getMetadata().getName())
            .withNamespace(tunnel.getMetadata().getNamespace())
            .withResourceVersion(tunnel.getMetadata().getResourceVersion())
            .build());
    TunnelStatus body = StatusComparison.operatorPart(status);
    patch.setStatus(body);
    return patch;
  }
}
