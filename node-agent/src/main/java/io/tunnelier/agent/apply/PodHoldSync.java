package io.tunnelier.agent.apply;

import io.tunnelier.agent.nft.HoldScript;
import io.tunnelier.agent.nft.HoldTable;
import io.tunnelier.agent.plan.HeldPod;
import io.tunnelier.agent.plan.PodHolds;
import io.tunnelier.api.net.Cidr;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the CNI plugin's holds as the agent wants them ({@link PodHolds}): the hold table's
 * structure and the guarded namespaces' file, then, once a pass has programmed the pods it knows,
 * takes their holds out. With nothing to guard (or the feature off) both go, so the plugin holds
 * nothing. The table is read on every pass that applies (its holds are the plugin's); its structure
 * is rewritten only when it is gone, edited or its open ranges changed, so a restarted agent adopts
 * the table it left, holds and counters kept. Not thread-safe: one loop calls it.
 */
public final class PodHoldSync {
  private static final Logger LOG = LoggerFactory.getLogger(PodHoldSync.class);

  private final HoldTable table;
  private final GuardedNamespacesFile file;
  private final boolean enabled;
  private final CniChain chain; // null: the plugin is chained by someone else (or not here)
  private boolean removed; // nothing of the holds is left: no need to look again each pass
  private String chainProblem; // why the plugin is not in the chain, or null
  private Map<String, Long> dropped = Map.of(); // the hold rules' counters at the last read

  /**
   * @param enabled false: the plugin is not installed (or no longer): what an earlier run left of
   *     the table and the file is removed
   */
  public PodHoldSync(HoldTable table, GuardedNamespacesFile file, boolean enabled) {
    this(table, file, enabled, null);
  }

  /**
   * @param chain puts the plugin into the node's CNI configuration while there is something to
   *     hold, and takes it out when there is not; null: leave the configuration alone
   */
  public PodHoldSync(HoldTable table, GuardedNamespacesFile file, boolean enabled, CniChain chain) {
    this.table = table;
    this.file = file;
    this.enabled = enabled;
    this.chain = chain;
  }

  /**
   * @param desired null where there are no holds (standalone)
   * @param programmed whether this pass's nftables transaction went through: only then does the
   *     kill switch cover the pods it knows, so only then are their holds taken out
   * @return what failed (the next pass tries again)
   */
  public Outcome sync(PodHolds desired, boolean programmed) {
    try {
      if (!enabled || desired == null || !desired.active()) {
        if (!removed) {
          remove();
        }
        chainProblem = null;
        return Outcome.OK;
      }
      removed = false;
      Optional<HoldTable.Live> live = table.read();
      if (live.isEmpty()
          || !live.get().ruleComments().equals(List.of(HoldScript.RULE_IPV4, HoldScript.RULE_IPV6))
          || !live.get().open().equals(openSet(desired.open()))) {
        // A restarted agent that finds the table as it wants it adopts it: holds and counters kept.
        table.apply(HoldScript.ensure(desired.open()));
        LOG.atInfo()
            .setMessage("wrote the CNI plugin's hold table")
            .addKeyValue("reason", live.isEmpty() ? "absent" : "changed")
            .addKeyValue("open", desired.open().size())
            .log();
        live = table.read();
      }
      // After the table: a namespace the plugin reads as guarded can always be held.
      if (file.write(desired.guardedNamespaces())) {
        LOG.atInfo()
            .setMessage("wrote the CNI plugin's guarded namespaces")
            .addKeyValue("file", file.path())
            .addKeyValue("namespaces", desired.guardedNamespaces())
            .log();
      }
      dropped = live.map(HoldTable.Live::droppedPackets).orElse(Map.of());
      // Chained last: by then a namespace the plugin holds can be held. A configuration that
      // cannot take it costs the hold while the agent is down, not the node's traffic: reported,
      // not failed.
      if (chain != null) {
        try {
          if (chain.chain()) {
            LOG.atInfo()
                .setMessage("chained the CNI plugin into the node's CNI configuration")
                .addKeyValue("plugin", CniChain.TYPE)
                .log();
          }
          chainProblem = null;
        } catch (IOException e) {
          String problem = String.valueOf(e.getMessage());
          if (!problem.equals(chainProblem)) {
            LOG.atWarn()
                .setMessage(
                    "cannot chain the CNI plugin: new pods are not held while the agent is down")
                .addKeyValue("error", problem)
                .log();
          }
          chainProblem = problem;
        }
      }
      if (programmed && live.isPresent()) {
        List<HeldPod> release = desired.releasable(live.get().held());
        if (!release.isEmpty()) {
          table.apply(HoldScript.release(release));
          LOG.atInfo()
              .setMessage("released pods the CNI plugin held: programmed now")
              .addKeyValue("pods", release.stream().map(HeldPod::podUid).toList())
              .addKeyValue("addresses", release.stream().map(HeldPod::address).toList())
              .log();
        }
      }
      return new Outcome(null, chainProblem);
    } catch (IOException | RuntimeException e) {
      LOG.atWarn()
          .setMessage("CNI plugin holds not in line; next pass retries")
          .addKeyValue("error", e.getMessage())
          .log();
      return new Outcome(e.getMessage(), chainProblem);
    }
  }

  private static Set<String> openSet(List<Cidr> open) {
    Set<String> out = new TreeSet<>();
    open.stream().filter(Cidr::isIpv4).forEach(c -> out.add(c.hostOrCidr()));
    return out;
  }

  /**
   * What one sync did.
   *
   * @param error why the holds are not in line (the pass failed; retried), or null
   * @param chainProblem why the plugin is not in the node's CNI chain (reported, the pass goes on),
   *     or null
   */
  public record Outcome(String error, String chainProblem) {
    static final Outcome OK = new Outcome(null, null);
  }

  /** The hold rules' drop counters by rule comment, as the last pass read them. */
  public Map<String, Long> droppedPackets() {
    return dropped;
  }

  /**
   * Out of the chain first (no runtime calls the plugin any more), then the file (a plugin still
   * running stops holding), then the table with any holds left.
   */
  public void remove() throws IOException {
    if (chain != null && chain.unchain()) {
      LOG.atInfo()
          .setMessage("took the CNI plugin out of the node's CNI configuration: nothing to hold")
          .log();
    }
    if (file.delete()) {
      LOG.atInfo()
          .setMessage("removed the CNI plugin's guarded namespaces: nothing to hold")
          .addKeyValue("file", file.path())
          .log();
    }
    if (table.read().isPresent()) {
      table.apply(HoldScript.delete());
      LOG.atInfo().setMessage("removed the CNI plugin's hold table").log();
    }
    dropped = Map.of();
    removed = true;
  }
}
