package io.tunnelier.agent.apply;

import io.tunnelier.agent.kernel.Conntrack;
import io.tunnelier.agent.kernel.IpCommand;
import io.tunnelier.agent.kernel.IpRoute;
import io.tunnelier.agent.kernel.KernelDiff;
import io.tunnelier.agent.kernel.KernelState;
import io.tunnelier.agent.kernel.Link;
import io.tunnelier.agent.nft.Nftables;
import io.tunnelier.agent.plan.DesiredState;
import io.tunnelier.agent.plan.PathChanges;
import io.tunnelier.agent.plan.PodHolds;
import io.tunnelier.agent.plan.TunnelDevice;
import io.tunnelier.agent.plan.TunnelPlan;
import io.tunnelier.agent.tunnel.OpenDatapaths;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the node match a desired state: first brings the nftables table in line ({@link NftSync}):
 * set elements only when only they changed, else the whole table, each in one atomic transaction;
 * then opens and closes datapaths, diffs our links, addresses, routes, rules and neighbours against
 * the live kernel (read fresh every time, so anything changed behind the agent's back is put back)
 * and applies only the difference in tunnel batches ({@link IpBatches}), sent together and split
 * only at a refused command ({@link IpBatchSender}), so that one tunnel's refused command cannot
 * stop another's programming.
 *
 * <p>The nftables table carries a fingerprint of what it was built from; a restarted agent that
 * finds its fingerprint on the table adopts it untouched. The agent keeps what the table must hold
 * after its last transaction, so an edit made behind its back is noticed and undone.
 *
 * <p>Last, with the new rules in place, the conntrack entries of the pods whose path changed
 * ({@link PathChanges}) are deleted, so no flow keeps the NAT of its old path. Not thread-safe: one
 * loop calls it.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final IpRoute ip;
  private final NftSync nftSync;
  private final OpenDatapaths datapaths;
  private final Conntrack conntrack;
  private final PodHoldSync holds; // null: this host has no CNI plugin holds (standalone)

  /** The plans the conntrack table was last brought in line with; null before the first pass. */
  private List<TunnelPlan> flushedFor;

  /** Pods whose entries a failed flush left: tried again on the next pass. */
  private final Set<InetAddress> unflushed = new LinkedHashSet<>();

  /** Without conntrack flushing (hosts and tests that track no flows of selected pods). */
  public Reconciler(IpRoute ip, Nftables nft, OpenDatapaths datapaths) {
    this(ip, nft, datapaths, sources -> 0);
  }

  public Reconciler(IpRoute ip, Nftables nft, OpenDatapaths datapaths, Conntrack conntrack) {
    this(ip, new NftSync(nft), datapaths, conntrack, null);
  }

  /** With the CNI plugin's holds ({@link PodHoldSync}) kept in line after each pass. */
  public Reconciler(
      IpRoute ip, Nftables nft, OpenDatapaths datapaths, Conntrack conntrack, PodHoldSync holds) {
    this(ip, new NftSync(nft), datapaths, conntrack, holds);
  }

  Reconciler(
      IpRoute ip,
      NftSync nftSync,
      OpenDatapaths datapaths,
      Conntrack conntrack,
      PodHoldSync holds) {
    this.ip = ip;
    this.nftSync = nftSync;
    this.datapaths = datapaths;
    this.conntrack = conntrack;
    this.holds = holds;
  }

  public ApplyResult apply(DesiredState desired) {
    return apply(desired, null);
  }

  /**
   * @param podHolds the CNI plugin's holds this pass wants (null: none); they are taken out only
   *     after the pass's nftables transaction, so a released pod is already under the kill switch
   */
  public ApplyResult apply(DesiredState desired, PodHolds podHolds) {
    // nftables first: the kill switch and the NAT that keeps the CNI's masquerade off our devices
    // must be in place before a route or rule steers traffic into them (else the first packets of
    // a new route leave masqueraded, or a new pod's leave unguarded). Its rules name devices, so
    // they need none of them to exist yet.
    NftSync.Change nftChange = NftSync.Change.NONE;
    String nftError = null;
    try {
      nftChange = nftSync.sync(desired.nft());
    } catch (IOException | RuntimeException e) {
      nftError = e.getMessage();
      LOG.atWarn()
          .setMessage("nft transaction failed; next sync is a full one")
          .addKeyValue("error", nftError)
          .log();
    }

    Map<String, String> datapathErrors = new LinkedHashMap<>();
    List<String> sent = new ArrayList<>();
    String ipError = null;
    Map<String, String> ipErrors = new LinkedHashMap<>();
    KernelState live = KernelState.EMPTY;
    try {
      live = ip.read();
      Map<String, TunnelDevice> devices = new LinkedHashMap<>();
      for (TunnelPlan p : desired.plans()) {
        p.datapaths()
            .forEach(
                (key, device) -> {
                  if (device.config() != null) {
                    devices.put(key, device);
                  }
                });
      }
      Set<String> liveLinks = live.links().stream().map(Link::name).collect(Collectors.toSet());
      long datapathChanges = datapaths.changes();
      datapathErrors.putAll(datapaths.sync(devices, liveLinks));
      // Read again only if datapaths opened or closed devices: each read is three processes.
      if (datapaths.changes() != datapathChanges) {
        live = ip.read();
      }
      List<IpCommand> commands = KernelDiff.commands(desired.kernel(), live);
      for (IpCommand c : commands) {
        sent.add(c.batchLine());
      }
      if (!commands.isEmpty()) {
        LOG.atInfo()
            .setMessage("applying ip changes")
            .addKeyValue("count", commands.size())
            .addKeyValue("commands", String.join("; ", sent))
            .log();
        // A refused command stops its tunnel's batch only: the others are still applied.
        ipErrors.putAll(IpBatchSender.send(ip, IpBatches.split(commands, desired.plans())));
        ipErrors.forEach(
            (tunnel, error) ->
                LOG.atWarn()
                    .setMessage("ip apply failed; next sync retries")
                    .addKeyValue("tunnel", tunnel)
                    .addKeyValue("error", error)
                    .log());
        live = ip.read(); // what the status reports: after the changes, failed ones included
      }
    } catch (IOException | RuntimeException e) {
      ipError = e.getMessage();
      LOG.atWarn()
          .setMessage("ip apply failed; next sync is a full one")
          .addKeyValue("error", ipError)
          .log();
    }
    Flushed flushed = flushConntrack(desired.plans(), nftError == null && ipError == null);
    PodHoldSync.Outcome held =
        holds == null ? PodHoldSync.Outcome.OK : holds.sync(podHolds, nftError == null);

    return new ApplyResult(
        List.copyOf(sent),
        nftChange != NftSync.Change.NONE,
        nftChange == NftSync.Change.ELEMENTS,
        ipError,
        ipErrors,
        nftError,
        datapathErrors,
        live,
        flushed.entries(),
        flushed.error(),
        held.error(),
        held.chainProblem());
  }

  private record Flushed(int entries, String error) {}

  /**
   * Deletes the conntrack entries of the pods whose path changed since the plans the table was last
   * brought in line with. Only once the new rules are in place (else the flows would start over on
   * the old path): a pass whose nftables transaction or kernel read failed leaves it to the next.
   * The first pass after a start only takes note: the agent does not know what changed while it was
   * away, and flushing every selected pod would restart flows already on their path. A failure is
   * reported and never stops the pass; those pods are tried again on the next one.
   */
  private Flushed flushConntrack(List<TunnelPlan> plans, boolean rulesApplied) {
    if (!rulesApplied) {
      return new Flushed(0, null);
    }
    if (flushedFor == null) {
      flushedFor = plans;
      return new Flushed(0, null);
    }
    unflushed.addAll(PathChanges.between(flushedFor, plans));
    flushedFor = plans;
    if (unflushed.isEmpty()) {
      return new Flushed(0, null);
    }
    List<String> pods = unflushed.stream().map(InetAddress::getHostAddress).toList();
    try {
      int entries = conntrack.deleteByOriginalSource(new LinkedHashSet<>(unflushed));
      unflushed.clear();
      LOG.atInfo()
          .setMessage("flushed the conntrack entries of pods whose path changed")
          .addKeyValue("pods", pods)
          .addKeyValue("entries", entries)
          .log();
      return new Flushed(entries, null);
    } catch (IOException | RuntimeException e) {
      LOG.atWarn()
          .setMessage("conntrack flush failed; next sync retries")
          .addKeyValue("pods", pods)
          .addKeyValue("error", e.getMessage())
          .log();
      return new Flushed(0, e.getMessage());
    }
  }

  /**
   * Removes everything the agent ever created on this host: every {@code tnl*} link (with its
   * addresses, routes and neighbours), every route in our tables, every rule into them, and the
   * nftables table, and the CNI plugin's holds (table and file). Used by {@code agent --cleanup}.
   */
  public ApplyResult cleanup() {
    datapaths.closeAll();
    return apply(DesiredState.NOTHING);
  }

  /**
   * The counters of the table's counted drop rules, by rule comment ({@link Nftables}), with the
   * CNI plugin's hold rules as the last pass read them.
   */
  public Map<String, Long> droppedPackets() throws IOException {
    Map<String, Long> out = new java.util.TreeMap<>(nftSync.droppedPackets());
    if (holds != null) {
      holds.droppedPackets().forEach((comment, n) -> out.merge(comment, n, Long::sum));
    }
    return out;
  }

  /** Names of the live links that look like ours (for probes and tests). */
  public Set<String> liveLinks() throws IOException {
    return new HashSet<>(ip.read().links().stream().map(Link::name).toList());
  }
}
