package io.tunnelier.agent.loop;

import io.tunnelier.agent.apply.ApplyResult;
import io.tunnelier.agent.plan.DesiredState;
import io.tunnelier.agent.plan.PodHolds;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a pass must read and program the kernel, or may stand on the last one's result. Reading
 * it costs a dozen {@code ip} and {@code nft} processes and a parse of the whole nftables table,
 * and most passes change nothing in it: a Tunnel's status written by another node or by the
 * operator, a probe's late answer, the probes of a new tunnel's peer. With 200 Tunnels created at
 * once, a member node that had nothing to program for them spent as much CPU as the API server did
 * (issue 21). A pass reads the kernel when what it wants differs from what the last one applied,
 * when that one did not end clean, when asked to ({@link #force}: the first pass, SIGHUP, a
 * rewritten config file), and at least every resync period, which is what repairs a change made
 * behind the agent's back. Not thread-safe: the loop's thread only.
 */
final class KernelPasses {
  private final Duration resync;
  private DesiredState desired;
  private PodHolds holds;
  private ApplyResult result;
  private Instant readAt;
  private boolean forced = true;

  KernelPasses(Duration resync) {
    this.resync = resync;
  }

  /**
   * The last pass's kernel, unchanged, when this pass wants what it applied and may skip the
   * kernel; empty when it must read and program it.
   */
  Optional<ApplyResult> unchanged(DesiredState desired, PodHolds holds, Instant now) {
    if (forced
        || result == null
        || !result.ok()
        || result.cniChainProblem() != null
        || now.isBefore(readAt)
        || !now.isBefore(readAt.plus(resync))
        || !desired.equals(this.desired)
        || !Objects.equals(holds, this.holds)) {
      return Optional.empty();
    }
    return Optional.of(ApplyResult.unchanged(result.live(), null));
  }

  /** A pass read and programmed the kernel at {@code now}, wanting {@code desired}. */
  void applied(DesiredState desired, PodHolds holds, ApplyResult result, Instant now) {
    this.desired = desired;
    this.holds = holds;
    this.result = result;
    this.readAt = now;
    this.forced = false;
  }

  /** The next pass reads and programs the kernel whatever it wants. */
  void force() {
    forced = true;
  }
}
