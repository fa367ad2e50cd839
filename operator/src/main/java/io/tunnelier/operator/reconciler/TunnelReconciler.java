package io.tunnelier.operator.reconciler;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.tunnelier.api.keys.WireGuardKeyPair;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.operator.Labels;
import io.tunnelier.operator.address.AddressAllocator;
import io.tunnelier.operator.address.Assignment;
import io.tunnelier.operator.address.BackupAddresses;
import io.tunnelier.operator.address.Ipv6Pool;
import io.tunnelier.operator.address.KeyDerivedPair;
import io.tunnelier.operator.dependent.AddressAssigned;
import io.tunnelier.operator.dependent.BackupPeerConfigSecrets;
import io.tunnelier.operator.dependent.KeysSecret;
import io.tunnelier.operator.dependent.ManagedSecrets;
import io.tunnelier.operator.dependent.NodeAgentDaemonSet;
import io.tunnelier.operator.dependent.PeerConfigSecret;
import io.tunnelier.operator.dependent.TunnelSecrets;
import io.tunnelier.operator.gateway.AgentHeartbeats;
import io.tunnelier.operator.gateway.Election;
import io.tunnelier.operator.gateway.GatewayCandidates;
import io.tunnelier.operator.gateway.GatewayElection;
import io.tunnelier.operator.gateway.NodeReadiness;
import io.tunnelier.operator.pods.PodEvents;
import io.tunnelier.operator.pods.SelectedPods;
import io.tunnelier.operator.policy.ClusterRanges;
import io.tunnelier.operator.policy.SpecRefusals;
import io.tunnelier.operator.status.AgentRenewals;
import io.tunnelier.operator.status.AgentSilence;
import io.tunnelier.operator.status.Conditions;
import io.tunnelier.operator.status.EventRecorder;
import io.tunnelier.operator.status.GatewayChanges;
import io.tunnelier.operator.status.StatusAggregator;
import io.tunnelier.operator.status.StatusComparison;
import io.tunnelier.operator.status.StatusInputs;
import io.tunnelier.operator.status.TunnelConditions;
import io.tunnelier.operator.status.TunnelEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a Tunnel: decides its addresses and gateway, then lets the declared workflow create
 * the keys Secret (WireGuard only), the peer-config Secrets (the primary's and one per backup peer)
 * and the shared node agent DaemonSet, then writes the status from what the agents report. The
 * workflow is invoked explicitly because its dependents need the addresses and gateway decided
 * first.
 */
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(
          name = KeysSecret.NAME,
          type = KeysSecret.class,
          useEventSourceWithName = ManagedSecrets.NAME),
      @Dependent(
          name = PeerConfigSecret.NAME,
          type = PeerConfigSecret.class,
          dependsOn = KeysSecret.NAME,
          useEventSourceWithName = ManagedSecrets.NAME,
          reconcilePrecondition = AddressAssigned.class),
      // No precondition: it waits for the addresses itself, and keeps its Secrets meanwhile.
      @Dependent(
          name = BackupPeerConfigSecrets.NAME,
          type = BackupPeerConfigSecrets.class,
          dependsOn = KeysSecret.NAME,
          useEventSourceWithName = ManagedSecrets.NAME),
      @Dependent(name = NodeAgentDaemonSet.NAME, type = NodeAgentDaemonSet.class)
    })
@ControllerConfiguration(
    name = TunnelReconciler.NAME,
    finalizerName = TunnelReconciler.FINALIZER,
    fieldManager = Labels.FIELD_MANAGER,
    // The agents' status.nodes[] writes do not change the generation, and must reconcile.
    generationAwareEventProcessing = false,
    informer = @Informer(itemStore = TunnelStore.class, onUpdateFilter = OperatorStatusOnly.class))
public class TunnelReconciler implements Reconciler<Tunnel>, Cleaner<Tunnel> {
  public static final String NAME = "tunnel";
  public static final String FINALIZER = "tunnelier.io/cleanup";

  /** How often a Tunnel that is not Ready is looked at again without any event. */
  static final Duration NOT_READY_RECHECK = Duration.ofSeconds(20);

  /** The longest a scheduled recheck waits (a deadline far off is looked at again anyway). */
  static final Duration MAX_RECHECK = Duration.ofMinutes(10);

  /** After {@link AgentSilence#AFTER}, so the last report is old enough to count as silence. */
  static final Duration SILENCE_MARGIN = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(TunnelReconciler.class);

  private final OperatorSettings settings;
  private final AddressAllocator allocator;
  private final Cidr siteToSitePool;
  private final GatewayElection election;
  private final EventRecorder events;
  private final StatusWriter status;
  private final GatewayChanges gatewayChanges;

  /** Null when heartbeats are off ({@code gatewayHeartbeatInterval: 0s}). */
  private final AgentHeartbeats heartbeats;

  /** The heartbeat Leases' renewals (empty when heartbeats are off): the agents' liveness. */
  private final AgentRenewals renewals = new AgentRenewals();

  public TunnelReconciler(
      OperatorSettings settings, EventRecorder events, GatewayChanges gatewayChanges) {
    this.settings = settings;
    this.allocator = new AddressAllocator(settings.config().addressPool());
    this.siteToSitePool = settings.config().siteToSitePool();
    this.election = new GatewayElection(settings.config().gatewayFailoverAfterDuration());
    this.events = events;
    this.status = new StatusWriter(events, settings.clock(), settings.config().pool6());
    this.gatewayChanges = gatewayChanges;
    this.heartbeats =
        settings.config().gatewayHeartbeatIntervalDuration().isZero()
            ? null
            : new AgentHeartbeats(settings.config().gatewayHeartbeatTimeoutDuration());
  }

  @Override
  public List<EventSource<?, Tunnel>> prepareEventSources(EventSourceContext<Tunnel> context) {
    if (heartbeats == null) {
      return List.of(
          NodeEvents.eventSource(context),
          PodEvents.eventSource(context),
          ManagedSecrets.eventSource(context));
    }
    return List.of(
        NodeEvents.eventSource(context),
        PodEvents.eventSource(context),
        ManagedSecrets.eventSource(context),
        new HeartbeatEvents(
            context.getClient(),
            settings.namespace(),
            heartbeats,
            renewals,
            settings.config().gatewayHeartbeatTimeoutDuration(),
            () -> context.getPrimaryCache().list(),
            System::nanoTime));
  }

  @Override
  public UpdateControl<Tunnel> reconcile(Tunnel tunnel, Context<Tunnel> context) {
    Instant now = settings.clock().instant();
    List<Node> nodes = nodes(context);
    Optional<SpecRefusals.Refusal> refusal =
        SpecRefusals.first(
            tunnel,
            ClusterRanges.of(nodes, settings.config().clusterCIDRs()),
            nodes,
            // The other Tunnels from the informer cache: a Tunnel it does not hold yet is refused
            // at its own reconcile, when it is the newer one (SpecRefusals decides by age).
            context.getPrimaryCache().list().toList());
    if (refusal.isPresent()) {
      return refuse(tunnel, refusal.get(), context, now);
    }
    Assignment assignment = assignAddresses(tunnel, context);
    Map<String, Assignment> backups =
        BackupAddresses.assign(allocator, tunnel, allocatorView(context));
    List<NodeReadiness> candidates = GatewayCandidates.matching(nodes, selector(tunnel));
    if (heartbeats != null) {
      candidates = heartbeats.judge(candidates, System.nanoTime());
    }
    TunnelStatus current = tunnel.getStatus();
    Map<String, Instant> renewed = renewals.snapshot();
    Election elected =
        election.elect(
            candidates,
            current == null ? null : current.getActiveGateway(),
            current == null ? null : current.getNodes(),
            renewed,
            now);

    Integer selectedPods =
        SelectedPods.count(tunnel, PodEvents.running(context, tunnel.getMetadata().getNamespace()));
    StatusInputs inputs =
        new StatusInputs(
            tunnel,
            assignment,
            candidates,
            elected,
            publicKey(tunnel, context),
            now,
            selectedPods,
            backups,
            renewed);
    TunnelStatus planned = StatusAggregator.aggregate(inputs);
    // A WireGuard Tunnel's agents need its keys before they are named; the workflow makes them.
    boolean waitsForKeys =
        tunnel.getSpec().getEncapsulation() == Encapsulation.WIREGUARD
            && inputs.publicKey() == null;
    Tunnel latest =
        status.persistNewAddresses(
            tunnel,
            assignment,
            backups,
            waitsForKeys ? Optional.empty() : Optional.of(planned),
            context);
    context
        .managedWorkflowAndDependentResourceContext()
        .put(
            TunnelPlan.class,
            new TunnelPlan(
                assignment,
                elected,
                GatewayCandidates.podCidrs(nodes),
                GatewayCandidates.externalAddresses(nodes, selector(tunnel)),
                backups,
                Ipv6Pool.carries(tunnel) ? settings.config().pool6() : null));
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

    String publicKey = publicKey(tunnel, context);
    TunnelStatus desired =
        Objects.equals(publicKey, inputs.publicKey())
            ? planned
            : StatusAggregator.aggregate(inputs.withPublicKey(publicKey));
    Optional<Duration> measurementsDue = status.writeStatus(latest, desired, context);
    TunnelEvents.gatewayChange(elected)
        .ifPresent(
            e -> {
              events.record(tunnel, e);
              gatewayChanges.record(tunnel, e);
            });

    if (assignment instanceof Assignment.WaitingForKeys) {
      // The workflow has just created the keys Secret: derive the addresses from it now, not at
      // the next periodic look (JOSDK does not propagate the event of a Secret a dependent wrote).
      return recheck(Duration.ZERO);
    }
    if (Conditions.isTrue(desired.getConditions(), TunnelConditions.READY)) {
      // Agents' reports of a change trigger a reconcile, their Lease renewals none: this one
      // fires when an agent has gone silent.
      Duration silence = AgentSilence.AFTER.plus(SILENCE_MARGIN);
      return recheck(
          sooner(
              elected.recheckAfter().filter(d -> d.compareTo(silence) < 0).orElse(silence),
              measurementsDue));
    }
    Duration recheck =
        elected
            .recheckAfter()
            .filter(d -> d.compareTo(NOT_READY_RECHECK) < 0)
            .orElse(NOT_READY_RECHECK);
    return recheck(sooner(recheck, measurementsDue));
  }

  /** This end's public key: null for other encapsulations, and while the keys Secret is missing. */
  private static String publicKey(Tunnel tunnel, Context<Tunnel> context) {
    return tunnel.getSpec().getEncapsulation() == Encapsulation.WIREGUARD
        ? TunnelSecrets.keys(tunnel, context).map(WireGuardKeyPair::publicKey).orElse(null)
        : null;
  }

  private static Duration sooner(Duration a, Optional<Duration> b) {
    return b.filter(d -> d.compareTo(a) < 0).orElse(a);
  }

  /**
   * A refused Tunnel gets no gateway (status.activeGateway emptied), so no agent routes anything
   * for it, and no workflow run: its Secrets stay as they are, its addresses stay recorded. The
   * status says why, with a Warning Event on the transition; other Tunnels are not touched. It is
   * looked at again soon, since what it clashes with (a Node, an older Tunnel) may go away.
   */
  private UpdateControl<Tunnel> refuse(
      Tunnel tunnel, SpecRefusals.Refusal refusal, Context<Tunnel> context, Instant now) {
    LOG.atDebug()
        .setMessage("tunnel refused")
        .addKeyValue(
            "tunnel", tunnel.getMetadata().getNamespace() + "/" + tunnel.getMetadata().getName())
        .addKeyValue("reason", refusal.reason())
        .log();
    status.writeStatus(
        tunnel,
        StatusAggregator.refused(tunnel, refusal.reason(), refusal.message(), now),
        context);
    return recheck(NOT_READY_RECHECK);
  }

  @Override
  public DeleteControl cleanup(Tunnel tunnel, Context<Tunnel> context) {
    Instant now = settings.clock().instant();
    Set<String> nodeNames =
        nodes(context).stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    Instant deletedAt =
        tunnel.getMetadata().getDeletionTimestamp() == null
            ? now
            : Instant.parse(tunnel.getMetadata().getDeletionTimestamp());
    CleanupGate.Decision decision =
        CleanupGate.decide(
            tunnel.getStatus() == null ? null : tunnel.getStatus().getNodes(),
            nodeNames,
            deletedAt,
            settings.config().finalizerWaitDuration(),
            now);
    if (!decision.release()) {
      status.writeStatus(
          tunnel, StatusAggregator.deleting(tunnel, decision.waitingFor(), now), context);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(decision.recheckAfter());
    }
    if (decision.timedOut()) {
      events.record(
          tunnel,
          new TunnelEvents.Event(
              TunnelEvents.WARNING,
              "CleanupTimedOut",
              "the agents on "
                  + String.join(", ", decision.waitingFor())
                  + " did not report the tunnel's state removed within "
                  + settings.config().finalizerWait()
                  + "; the Tunnel is released anyway: check those nodes for leftover links, routes"
                  + " and nftables rules"));
    }
    context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    allocator.release(tunnel.getMetadata().getUid());
    BackupAddresses.releaseAll(allocator, tunnel.getMetadata().getUid());
    gatewayChanges.forget(tunnel);
    status.forget(tunnel);
    LOG.atInfo()
        .setMessage("tunnel released")
        .addKeyValue(
            "tunnel", tunnel.getMetadata().getNamespace() + "/" + tunnel.getMetadata().getName())
        .addKeyValue("timedOut", decision.timedOut())
        .log();
    return DeleteControl.defaultDelete();
  }

  @Override
  public ErrorStatusUpdateControl<Tunnel> updateErrorStatus(
      Tunnel tunnel, Context<Tunnel> context, Exception e) {
    if (ReconcileFailures.isConflict(e)) {
      // Someone else wrote first (an agent, another reconcile): a retry resolves it, no alarm.
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    Optional<TunnelProblem> problem = ReconcileFailures.problemIn(e);
    String reason = problem.map(TunnelProblem::reason).orElse(TunnelConditions.RECONCILE_ERROR);
    String message =
        problem.map(Throwable::getMessage).orElseGet(() -> ReconcileFailures.describe(e));
    TunnelStatus failed =
        StatusAggregator.failed(tunnel, reason, message, settings.clock().instant());
    for (TunnelEvents.Event event : TunnelEvents.transitions(tunnel.getStatus(), failed)) {
      events.record(tunnel, event);
    }
    if (!StatusComparison.differs(tunnel.getStatus(), failed)) {
      return problem.isPresent()
          ? ErrorStatusUpdateControl.<Tunnel>noStatusUpdate()
              .withNoRetry()
              .rescheduleAfter(Duration.ofSeconds(60))
          : ErrorStatusUpdateControl.noStatusUpdate();
    }
    ErrorStatusUpdateControl<Tunnel> control =
        ErrorStatusUpdateControl.patchStatus(StatusWriter.statusPatch(tunnel, failed));
    // A user's mistake is not retried in a loop: the next change to the Tunnel reconciles it.
    return problem.isPresent()
        ? control.withNoRetry().rescheduleAfter(Duration.ofSeconds(60))
        : control;
  }

  private UpdateControl<Tunnel> recheck(Duration after) {
    Duration bounded = after.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : after;
    bounded = bounded.compareTo(MAX_RECHECK) > 0 ? MAX_RECHECK : bounded;
    return UpdateControl.<Tunnel>noUpdate().rescheduleAfter(bounded);
  }

  /**
   * Assigns the Tunnel's addresses. A WireGuard site-to-site Tunnel without spec.address has the
   * pair derived from both public keys, or none while a key is missing (and then holds nothing in
   * the allocator); the allocator still checks that no other Tunnel has it.
   */
  private Assignment assignAddresses(Tunnel tunnel, Context<Tunnel> context) {
    AddressAllocator.Claim claim = claim(tunnel);
    if (KeyDerivedPair.appliesTo(tunnel.getSpec())) {
      Assignment derived =
          KeyDerivedPair.assign(
              siteToSitePool,
              TunnelSecrets.keys(tunnel, context).map(WireGuardKeyPair::publicKey).orElse(null),
              tunnel.getSpec().getPeer().getPublicKey());
      if (derived.assigned().isEmpty()) {
        allocator.release(tunnel.getMetadata().getUid());
        gatewayChanges.forget(tunnel);
        logUnassigned(tunnel, derived);
        return derived;
      }
      claim = claim.withDerived(derived.assigned().get());
    }
    Assignment assignment = allocator.assign(claim, allocatorView(context));
    logUnassigned(tunnel, assignment);
    return assignment;
  }

  /** Where the allocator learns of every Tunnel's claims: primaries and backup peers alike. */
  private static AddressAllocator.Tunnels allocatorView(Context<Tunnel> context) {
    return new AddressAllocator.Tunnels() {
      @Override
      public List<AddressAllocator.Claim> listed() {
        return listedTunnels(context);
      }

      @Override
      public List<AddressAllocator.Claim> cached() {
        return context.getPrimaryCache().list().flatMap(t -> claims(t).stream()).toList();
      }
    };
  }

  private static void logUnassigned(Tunnel tunnel, Assignment assignment) {
    if (!(assignment instanceof Assignment.Assigned)) {
      // The condition and its Event tell the user; this is for whoever reads the log.
      LOG.atDebug()
          .setMessage("no addresses")
          .addKeyValue(
              "tunnel", tunnel.getMetadata().getNamespace() + "/" + tunnel.getMetadata().getName())
          .addKeyValue("outcome", assignment)
          .log();
    }
  }

  /**
   * Every Tunnel in the cluster, from the API server, not the informer cache (which may still be
   * filling right after a restart). {@code resourceVersion=0} lets the API server answer from its
   * watch cache; a few milliseconds behind is safe, since what this process assigned itself is in
   * the allocator's memory.
   */
  private static List<AddressAllocator.Claim> listedTunnels(Context<Tunnel> context) {
    return context
        .getClient()
        .resources(Tunnel.class)
        .inAnyNamespace()
        .list(new ListOptionsBuilder().withResourceVersion("0").build())
        .getItems()
        .stream()
        .flatMap(t -> claims(t).stream())
        .toList();
  }

  /** The Tunnel's claim and, after it, one per backup peer ({@link BackupAddresses}). */
  static List<AddressAllocator.Claim> claims(Tunnel tunnel) {
    List<AddressAllocator.Claim> all = new java.util.ArrayList<>();
    all.add(claim(tunnel));
    all.addAll(BackupAddresses.claims(tunnel));
    return all;
  }

  static AddressAllocator.Claim claim(Tunnel tunnel) {
    TunnelStatus status = tunnel.getStatus();
    return new AddressAllocator.Claim(
        tunnel.getMetadata().getUid(),
        tunnel.getMetadata().getNamespace() + "/" + tunnel.getMetadata().getName(),
        tunnel.getMetadata().getCreationTimestamp(),
        tunnel.getSpec().getAddress(),
        status == null ? null : status.getTunnelAddress(),
        status == null ? null : status.getPeerAddress());
  }

  @SuppressWarnings("unchecked")
  private static List<Node> nodes(Context<Tunnel> context) {
    InformerEventSource<Node, Tunnel> source =
        (InformerEventSource<Node, Tunnel>)
            context.eventSourceRetriever().getEventSourceFor(Node.class, NodeEvents.NAME);
    return source.list().toList();
  }

  private static Map<String, String> selector(Tunnel tunnel) {
    return tunnel.getSpec().getGateway() == null
        ? Map.of()
        : Optional.ofNullable(tunnel.getSpec().getGateway().getNodeSelector()).orElse(Map.of());
  }
}
