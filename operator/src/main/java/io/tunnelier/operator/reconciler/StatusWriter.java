package io.tunnelier.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.tunnelier.api.peerconfig.TunnelPeers;
import io.tunnelier.api.v1alpha1.Reading;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.address.AddressPair;
import io.tunnelier.operator.address.Assignment;
import io.tunnelier.operator.address.Ipv6Pool;
import io.tunnelier.operator.status.EventRecorder;
import io.tunnelier.operator.status.Ipv6InnerAddresses;
import io.tunnelier.operator.status.PeerPaths;
import io.tunnelier.operator.status.StatusComparison;
import io.tunnelier.operator.status.TunnelEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the operator's part of a Tunnel's status (server-side apply, never the agents' {@code
 * nodes[]}) and records an Event for each transition it makes, the way Flink's operator keeps a
 * {@code StatusRecorder} apart from its reconciler. Measurements alone are written at most every
 * {@link #MEASUREMENTS_EVERY} when a reading moved (an RTT beyond its jitter, loss, a handshake),
 * and every {@link #COUNTERS_EVERY} when only bytes and jitter did.
 */
final class StatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

  /**
   * How stale {@code status.peer}'s and {@code status.detour}'s measurements may get when a reading
   * moved: copied at every report, they made the operator write once for every write of the
   * gateway's agent.
   */
  static final Duration MEASUREMENTS_EVERY = Reading.MOVED_EVERY;

  /**
   * How stale {@code status.peer}'s byte counters may get, and an RTT that moved only within its
   * jitter: copied every minute, they were the largest steady-state writer (one new version of
   * every Tunnel a minute, 267 of 600 requests a minute with 201 Tunnels), though bytes change with
   * every probe. The gateway agent's {@code /metrics} has the latest.
   */
  static final Duration COUNTERS_EVERY = Reading.UNMOVED_EVERY;

  private final EventRecorder events;
  private final Clock clock;
  private final Ipv6Pool pool6;
  private final Map<String, Instant> lastWritten = new ConcurrentHashMap<>();

  StatusWriter(EventRecorder events, Clock clock, Ipv6Pool pool6) {
    this.events = events;
    this.clock = clock;
    this.pool6 = pool6;
  }

  /** Forgets a deleted Tunnel. */
  void forget(Tunnel tunnel) {
    lastWritten.remove(tunnel.getMetadata().getUid());
  }

  /**
   * Records newly assigned addresses in the status at once, before anything uses them (the peer
   * config Secret carries them to the VPS), so that a restart at any later point finds them there.
   *
   * <p>{@code planned} is the status this reconcile will write when the workflow changes nothing in
   * it: then it is written whole, the reconcile's one status write (a new GRE Tunnel's first status
   * is one version, not an addresses-only one and then the rest). Empty while the status waits for
   * the workflow (a WireGuard Tunnel's keys, which its agents need before they are named): then
   * only the addresses, and the rest with {@link #writeStatus} after the workflow.
   *
   * @return the Tunnel as written, or {@code tunnel} when nothing was new
   */
  Tunnel persistNewAddresses(
      Tunnel tunnel,
      Assignment assignment,
      Map<String, Assignment> backups,
      Optional<TunnelStatus> planned,
      Context<Tunnel> context) {
    Optional<AddressPair> pair = assignment.assigned();
    TunnelStatus current = tunnel.getStatus();
    boolean newPrimary =
        pair.isPresent()
            && (current == null
                || !pair.get().local().toString().equals(current.getTunnelAddress())
                || !pair.get().peer().toString().equals(current.getPeerAddress()));
    boolean newBackup =
        PeerPaths.unrecorded(current == null ? null : current.getPeerPaths(), backups);
    if (!newPrimary && !newBackup) {
      return tunnel;
    }
    TunnelStatus withAddresses =
        planned.orElseGet(() -> addressesOnly(tunnel, assignment, backups));
    Ipv6InnerAddresses.fill(tunnel, withAddresses, pool6);
    var log =
        LOG.atInfo()
            .setMessage("addresses assigned")
            .addKeyValue(
                "tunnel",
                tunnel.getMetadata().getNamespace() + "/" + tunnel.getMetadata().getName())
            .addKeyValue("tunnelAddress", withAddresses.getTunnelAddress())
            .addKeyValue("peerAddress", withAddresses.getPeerAddress());
    if (withAddresses.getPeerPaths() != null) {
      log = log.addKeyValue("backupPeers", backupAddresses(withAddresses));
    }
    log.log();
    return patch(tunnel, withAddresses, context);
  }

  /** The status as it is, with the new addresses: the health already shown is kept. */
  private static TunnelStatus addressesOnly(
      Tunnel tunnel, Assignment assignment, Map<String, Assignment> backups) {
    TunnelStatus withAddresses = StatusComparison.operatorPart(tunnel.getStatus());
    assignment
        .assigned()
        .ifPresent(
            p -> {
              withAddresses.setTunnelAddress(p.local().toString());
              withAddresses.setPeerAddress(p.peer().toString());
            });
    if (TunnelPeers.hasBackups(tunnel)) {
      withAddresses.setPeerPaths(
          PeerPaths.of(tunnel, assignment, backups, withAddresses.getPeerPaths()));
    }
    return withAddresses;
  }

  /** {@code name=tunnelAddress,peerAddress} of each backup with addresses, for the log. */
  private static String backupAddresses(TunnelStatus status) {
    if (status.getPeerPaths() == null) {
      return "";
    }
    return status.getPeerPaths().stream()
        .skip(1)
        .filter(p -> p.getTunnelAddress() != null)
        .map(p -> p.getName() + "=" + p.getTunnelAddress() + "," + p.getPeerAddress())
        .collect(Collectors.joining("; "));
  }

  /**
   * Patches the status when the operator's part of it changes, and records the transitions.
   *
   * @return when new measurements alone were held back: how soon to look again to write them
   */
  Optional<Duration> writeStatus(Tunnel tunnel, TunnelStatus desired, Context<Tunnel> context) {
    Ipv6InnerAddresses.fill(tunnel, desired, pool6);
    if (!StatusComparison.differs(tunnel.getStatus(), desired)) {
      return Optional.empty();
    }
    String uid = tunnel.getMetadata().getUid();
    Optional<Duration> held =
        holdBack(
            tunnel.getStatus(),
            desired,
            uid == null ? null : lastWritten.get(uid),
            clock.instant());
    if (held.isEmpty()) {
      patch(tunnel, desired, context);
    }
    return held;
  }

  /**
   * How much longer a changed status waits, after the operator's last write at {@code last} (null:
   * none since this operator started): empty to write it now. Only measurements wait.
   */
  static Optional<Duration> holdBack(
      TunnelStatus current, TunnelStatus desired, Instant last, Instant now) {
    if (last == null || StatusComparison.differsBeyondMeasurements(current, desired)) {
      return Optional.empty();
    }
    Duration every =
        StatusComparison.readingsMoved(current, desired) ? MEASUREMENTS_EVERY : COUNTERS_EVERY;
    Instant due = last.plus(every);
    return now.isBefore(due) ? Optional.of(Duration.between(now, due)) : Optional.empty();
  }

  /** Writes the operator's part and records the transitions it makes; returns what was stored. */
  private Tunnel patch(Tunnel tunnel, TunnelStatus desired, Context<Tunnel> context) {
    Tunnel written =
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
            tunnel, statusPatch(tunnel, desired), context);
    String uid = tunnel.getMetadata().getUid();
    if (uid != null) {
      lastWritten.put(uid, clock.instant());
    }
    for (TunnelEvents.Event event : TunnelEvents.transitions(tunnel.getStatus(), desired)) {
      events.record(tunnel, event);
    }
    return written;
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
