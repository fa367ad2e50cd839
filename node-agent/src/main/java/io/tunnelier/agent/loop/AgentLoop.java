package io.tunnelier.agent.loop;

import io.tunnelier.agent.apply.ApplyResult;
import io.tunnelier.agent.apply.Reconciler;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.kernel.IpRoute;
import io.tunnelier.agent.kernel.Link;
import io.tunnelier.agent.kernel.Underlay;
import io.tunnelier.agent.metrics.AgentMetrics;
import io.tunnelier.agent.peers.PeerHealth;
import io.tunnelier.agent.peers.PeerHealthProber;
import io.tunnelier.agent.plan.DesiredState;
import io.tunnelier.agent.plan.DesiredStateFunction;
import io.tunnelier.agent.plan.DropRules;
import io.tunnelier.agent.plan.PeerDevice;
import io.tunnelier.agent.plan.TunnelId;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.agent.status.NodeStatusBuilder;
import io.tunnelier.agent.status.ParallelProbes;
import io.tunnelier.agent.status.PeerMeasurement;
import io.tunnelier.agent.status.PeerProbe;
import io.tunnelier.agent.status.PeerUnderlay;
import io.tunnelier.agent.status.ProbeWindow;
import io.tunnelier.agent.status.StatusSink;
import io.tunnelier.agent.tunnel.OpenDatapaths;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one loop that programs this host: plans → desired state → apply → status. It runs on every
 * trigger (an informer event, SIGHUP, a changed config file) and at least once per resync period,
 * so drift is repaired even when nothing else happens. A pass whose desired state is what the last
 * one applied stands on that one's kernel read ({@link KernelPasses}); one at least every resync
 * period, and each after SIGHUP or a rewritten config file, reads it again. After a failed pass it
 * retries sooner, with exponential backoff (1 s doubling to 60 s, full jitter) until a pass
 * succeeds. Triggers arriving while it runs coalesce into one more run, which does not wait behind
 * the running pass's peer probes: a trigger ends that wait, and probes still running are answered
 * later. A selected pod just bound to this node gets the kill switch's guard within one pass.
 */
public final class AgentLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentLoop.class);
  private static final int PROBE_THREADS = 16;
  // A pass waits this long for its probes (1 s timeout each, inner and direct), no longer: a probe
  // still running is answered in the next pass, which its answer triggers.
  private static final Duration PROBE_BUDGET = Duration.ofMillis(1500);
  // Late probe answers only refresh reports: they wait this long after a pass, so a stream of them
  // (200 tunnels whose peers answer one by one) batches into few passes instead of back to back.
  private static final Duration LATE_ANSWERS_AFTER = Duration.ofSeconds(2);
  // While a new tunnel's peer has not answered its first probes: the next pass (and probe) comes
  // this soon, so it is Reachable or NoReply within seconds, not a resync period.
  private static final Duration PROBE_AGAIN_AFTER = Duration.ofSeconds(2);

  private final String hostName;
  private final PlanSource source;
  private final IpRoute ip;
  private final Reconciler reconciler;
  private final OpenDatapaths datapaths;
  private final StatusSink status;
  private final ParallelProbes peerProbes;
  private final AgentMetrics metrics;
  private final Duration resync;
  private final KernelPasses kernelPasses;
  private final Clock clock;
  private final Object lock = new Object();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Map<String, NodeStatus> lastStatus = new HashMap<>();
  private final Set<String> reportedRemoved = new HashSet<>();
  private final ProbeWindow probes = new ProbeWindow();
  private final Map<String, PeerMeasurement> lastMeasured = new HashMap<>();
  private final RetryBackoff backoff =
      new RetryBackoff(
          Duration.ofSeconds(1),
          Duration.ofSeconds(60),
          () -> ThreadLocalRandom.current().nextDouble());
  private boolean triggered = true;
  private boolean fullPassAsked;
  // Completed by the next trigger: a pass waiting for its probes stops waiting then.
  private CompletableFuture<Void> nextTrigger = new CompletableFuture<>();
  private boolean lateAnswers;

  /** A new tunnel's peer has not answered its first probes yet (the loop's thread only). */
  private boolean probingPeers;

  private volatile boolean lastOk;
  private Thread thread;
  private final PeerHealth peerHealth;
  private final PeerHealthProber peerHealthProber;

  public AgentLoop(
      String hostName,
      PlanSource source,
      IpRoute ip,
      Reconciler reconciler,
      OpenDatapaths datapaths,
      StatusSink status,
      PeerProbe peerProbe,
      AgentMetrics metrics,
      Duration resync,
      Clock clock) {
    this(
        hostName,
        source,
        ip,
        reconciler,
        datapaths,
        status,
        peerProbe,
        metrics,
        resync,
        clock,
        new PeerHealth(PeerHealth.Settings.DEFAULTS),
        Duration.ofSeconds(1),
        null);
  }

  /**
   * @param peerHealth the health of the backup peers' VPS, which this loop's prober feeds and its
   *     plan source reads
   * @param healthProbe the prober's echo, which gives up within {@code peerHealthInterval}; null:
   *     {@code peerProbe}
   */
  public AgentLoop(
      String hostName,
      PlanSource source,
      IpRoute ip,
      Reconciler reconciler,
      OpenDatapaths datapaths,
      StatusSink status,
      PeerProbe peerProbe,
      AgentMetrics metrics,
      Duration resync,
      Clock clock,
      PeerHealth peerHealth,
      Duration peerHealthInterval,
      PeerProbe healthProbe) {
    this.hostName = hostName;
    this.source = source;
    this.ip = ip;
    this.reconciler = reconciler;
    this.datapaths = datapaths;
    this.status = status;
    this.peerProbes =
        new ParallelProbes(peerProbe, PROBE_THREADS, PROBE_BUDGET, this::lateProbeAnswer);
    this.metrics = metrics;
    this.resync = resync;
    this.kernelPasses = new KernelPasses(resync);
    this.clock = clock;
    this.peerHealth = peerHealth;
    this.peerHealthProber =
        new PeerHealthProber(
            peerHealth,
            healthProbe == null ? peerProbe : healthProbe,
            peerHealthInterval,
            clock,
            this::peerSwitched);
  }

  /** A Tunnel's peer in use changed: logged, counted, and programmed by a pass at once. */
  private void peerSwitched(List<PeerHealth.Switch> switches) {
    for (PeerHealth.Switch s : switches) {
      LOG.atWarn()
          .setMessage("peer in use changed")
          .addKeyValue("tunnel", s.tunnel())
          .addKeyValue("from", s.change().getFrom())
          .addKeyValue("to", s.change().getTo())
          .addKeyValue("reason", s.change().getReason())
          .log();
      metrics.peerSwitched(s.tunnel());
    }
    trigger();
  }

  public void trigger() {
    synchronized (lock) {
      triggered = true;
      nextTrigger.complete(null);
      lock.notifyAll();
    }
  }

  /**
   * A pass that reads and programs the kernel whatever the plans want (SIGHUP, a rewritten config
   * file: a user who put something back by hand, or wants it checked, need not wait for the resync
   * period).
   */
  public void triggerFullPass() {
    synchronized (lock) {
      fullPassAsked = true;
    }
    trigger();
  }

  public void start() {
    thread = new Thread(this::run, "agent-loop");
    thread.start();
    peerHealthProber.start();
  }

  private void lateProbeAnswer() {
    synchronized (lock) {
      lateAnswers = true;
      lock.notifyAll();
    }
  }

  public boolean healthy() {
    return lastOk;
  }

  private void run() {
    while (!stopped.get()) {
      boolean ok;
      try {
        ok = reconcileOnce().map(ApplyResult::ok).orElse(false);
      } catch (RuntimeException e) {
        LOG.atError()
            .setMessage("reconcile crashed")
            .addKeyValue("error", e.toString())
            .setCause(e)
            .log();
        ok = false;
      }
      lastOk = ok;
      long waitMillis = (ok ? resync : backoff.failed()).toMillis();
      if (probingPeers) {
        // A new tunnel's peer has not answered yet: ask again soon, not a resync period later.
        waitMillis = Math.min(waitMillis, PROBE_AGAIN_AFTER.toMillis());
      }
      if (ok) {
        backoff.succeeded();
      }
      metrics.retryBackoff(backoff.ceiling());
      synchronized (lock) {
        long passEnded = System.nanoTime();
        long deadline = passEnded + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        long answersDue = passEnded + LATE_ANSWERS_AFTER.toNanos();
        while (!triggered && !stopped.get()) {
          long until = lateAnswers ? Math.min(deadline, answersDue) : deadline;
          long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
          if (left <= 0) {
            break;
          }
          try {
            lock.wait(left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        triggered = false;
        lateAnswers = false;
        if (nextTrigger.isDone()) {
          nextTrigger = new CompletableFuture<>();
        }
      }
    }
  }

  /** The kill switch's and the filters' drops, as metrics; a failed read skips one update. */
  private void countDrops() {
    try {
      metrics.droppedPackets(DropRules.totals(reconciler.droppedPackets()));
    } catch (IOException e) {
      LOG.atDebug()
          .setMessage("could not read the drop counters")
          .addKeyValue("error", e.getMessage())
          .log();
    }
  }

  /** One pass; empty when the source could not produce plans (nothing was changed). */
  public Optional<ApplyResult> reconcileOnce() {
    synchronized (lock) {
      if (fullPassAsked) {
        fullPassAsked = false;
        kernelPasses.force();
      }
    }
    Underlay underlay = null;
    try {
      underlay = ip.underlay().orElse(null);
    } catch (Exception e) {
      LOG.atWarn()
          .setMessage("cannot read the default route")
          .addKeyValue("error", e.getMessage())
          .log();
    }
    Plans plans;
    try {
      plans = source.plans(underlay);
    } catch (Exception e) {
      LOG.atWarn()
          .setMessage("no plans; leaving the host as it is")
          .addKeyValue("error", e.getMessage())
          .log();
      return Optional.empty();
    }
    DesiredState desired = DesiredStateFunction.compute(plans.plans());
    Instant now = clock.instant();
    Optional<ApplyResult> unchanged = kernelPasses.unchanged(desired, plans.holds(), now);
    ApplyResult result;
    if (unchanged.isPresent()) {
      result = unchanged.get();
      metrics.kernelReadSkipped();
    } else {
      result = reconciler.apply(desired, plans.holds());
      now = clock.instant();
      kernelPasses.applied(desired, plans.holds(), result, now);
    }
    // Counted as soon as the kernel changed, before the (slower) peer measurements, so /metrics
    // never lags behind what the host already carries.
    metrics.reconciled(result, plans.plans().size(), now.getEpochSecond());
    metrics.retainTunnels(plans.plans().stream().map(TunnelPlan::key).collect(Collectors.toSet()));
    if (unchanged.isEmpty()) {
      countDrops(); // an nft process too: read with the kernel, at least every resync period
    }
    if (result.changed() || !result.ok()) {
      LOG.atInfo()
          .setMessage("reconciled")
          .addKeyValue("ok", result.ok())
          .addKeyValue("tunnels", plans.plans().size())
          .addKeyValue("ipCommands", result.ipCommands().size())
          .addKeyValue("nftApplied", result.nftApplied())
          .addKeyValue("nftElementsOnly", result.nftElementsOnly())
          .addKeyValue("objects", result.live().objectCount())
          .log();
    }
    peerHealth.watch(plans.plans());
    boolean probing = false;
    Map<String, Optional<DatapathStats>> allStats = new HashMap<>();
    plans.plans().forEach(p -> allStats.put(p.key(), datapaths.stats(p.activeDatapathKey())));
    Probed probed = probeAll(plans, result, allStats);
    for (TunnelPlan p : plans.plans()) {
      if (p.problem() != null) {
        LOG.atInfo()
            .setMessage("tunnel not fully programmed")
            .addKeyValue("tunnel", p.key())
            .addKeyValue("reason", p.problem())
            .log();
      }
      Optional<DatapathStats> stats = allStats.get(p.key());
      PeerMeasurement peer = measure(p, probed);
      probing |= peer.probing();
      NodeStatus entry =
          NodeStatusBuilder.build(
              hostName,
              p,
              result,
              stats,
              datapaths.mtu(p.activeDatapathKey()),
              peer,
              lastStatus.get(p.key()),
              now);
      if (p.backupPeers() != null) {
        peerHealth
            .report(p.key(), peerEndpoints(p))
            .ifPresent(
                r -> {
                  entry.setActivePeer(r.activePeer());
                  entry.setPeerPaths(r.peerPaths());
                  entry.setLastPeerSwitch(r.lastSwitch());
                  metrics.peers(p.key(), r.activePeer(), r.peerPaths());
                });
      }
      lastStatus.put(p.key(), entry);
      reportedRemoved.remove(p.key());
      if (!plans.unplaced().contains(p.key())) {
        status.report(p.key(), entry);
      }
      stats.ifPresent(s -> metrics.tunnelStats(p.key(), s));
      metrics.tunnelStatus(p.key(), entry);
    }
    // Reported on every pass while the Tunnel is being deleted (the sink drops repeats), so a
    // write lost to rate limiting or an API error is retried.
    Set<String> liveLinks =
        result.live().links().stream().map(Link::name).collect(Collectors.toSet());
    for (String key : plans.deleting()) {
      TunnelId id = TunnelId.of(key);
      boolean gone =
          result.ok()
              && liveLinks.stream()
                  .noneMatch(
                      l ->
                          l.equals(id.deviceName())
                              || l.startsWith(id.deviceName() + "-") // a backup peer's
                              || l.equals(id.vxlanName()));
      if (gone) {
        if (reportedRemoved.add(key)) {
          LOG.atInfo().setMessage("tunnel state removed").addKeyValue("tunnel", key).log();
        }
        NodeStatus entry = NodeStatusBuilder.removed(hostName, lastStatus.get(key), now);
        lastStatus.put(key, entry);
        status.report(key, entry);
      }
    }
    probingPeers = probing;
    lastStatus.keySet().retainAll(union(plans));
    probes.retain(union(plans));
    lastMeasured.keySet().retainAll(union(plans));
    return Optional.of(result);
  }

  /**
   * RTT through the tunnel to the peer's inner address, and the direct RTT to the peer's underlay
   * address (the detour's baseline: where packets go now, as the datapath knows it, else the
   * configured peer), for every tunnel with a device, all at once.
   */
  private record Probed(Set<String> targeted, Map<String, ParallelProbes.Result> results) {}

  private Probed probeAll(
      Plans plans, ApplyResult result, Map<String, Optional<DatapathStats>> stats) {
    Map<String, ParallelProbes.Target> targets = new HashMap<>();
    if (result.nftError() == null) {
      for (TunnelPlan p : plans.plans()) {
        // A tunnel whose own programming failed is not probed; the others are.
        if (p.device() != null
            && result.ipErrorFor(p.key()) == null
            && !result.datapathErrors().containsKey(p.activeDatapathKey())) {
          String endpoint = stats.get(p.key()).map(DatapathStats::peerEndpoint).orElse(null);
          targets.put(
              p.key(),
              new ParallelProbes.Target(
                  p.device().peerInner(),
                  PeerUnderlay.host(p.device().config(), endpoint).orElse(null)));
        }
      }
    }
    CompletableFuture<Void> stopWaiting;
    synchronized (lock) {
      stopWaiting = nextTrigger;
    }
    return new Probed(
        targets.keySet(), targets.isEmpty() ? Map.of() : peerProbes.probe(targets, stopWaiting));
  }

  /**
   * The probes' answers, with the loss over the recent window; while a tunnel's probe is still
   * running, what was measured before (nothing yet for a new tunnel).
   */
  private PeerMeasurement measure(TunnelPlan p, Probed all) {
    ParallelProbes.Result probed = all.results().get(p.key());
    if (probed == null) {
      return all.targeted().contains(p.key())
          ? lastMeasured.getOrDefault(p.key(), PeerMeasurement.PROBING)
          : PeerMeasurement.NONE;
    }
    OptionalDouble loss = probes.record(p.key(), probed.rtt().isPresent());
    boolean probing = probed.rtt().isEmpty() && probes.probing(p.key());
    PeerMeasurement m = new PeerMeasurement(probed.rtt(), loss, probed.direct(), probing);
    lastMeasured.put(p.key(), m);
    return m;
  }

  /**
   * Each peer's endpoint as its datapath sends to it now (after DNS and roaming), else as
   * configured.
   */
  private Map<String, String> peerEndpoints(TunnelPlan p) {
    Map<String, String> out = new HashMap<>();
    for (PeerDevice d : p.backupPeers().peers()) {
      if (d.device() != null) {
        datapaths
            .stats(p.datapathKey(d))
            .map(DatapathStats::peerEndpoint)
            .ifPresent(e -> out.put(d.peer(), e));
      }
    }
    return out;
  }

  private static Set<String> union(Plans plans) {
    Set<String> keys = new HashSet<>(plans.deleting());
    plans.plans().forEach(p -> keys.add(p.key()));
    return keys;
  }

  @Override
  public void close() {
    stopped.set(true);
    trigger();
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    peerHealthProber.close();
    peerProbes.close(); // after the loop's last pass, which may still be probing
  }
}
