package io.tunnelier.e2e.bench;

import io.tunnelier.agent.apply.NftSync;
import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.kernel.ProcessRunner;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.agent.nft.NftCli;
import io.tunnelier.agent.nft.NftScript;
import io.tunnelier.agent.nft.NftTable;
import io.tunnelier.agent.plan.DesiredStateFunction;
import io.tunnelier.agent.plan.PlanFixtures;
import io.tunnelier.agent.plan.TunnelPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's nftables code with a large selection, on the real kernel: the egress gateway's table
 * (DesiredStateFunction) with {@code pods} selected pods, applied by the agent's own {@link
 * NftSync} with the real {@code nft}, on a thread inside a lab namespace (as the agent runs in its
 * node's, so no {@code ip netns exec} per call). Measures the whole pass (read, one transaction,
 * read back) and the transaction alone for the full table, and the pass for one more pod.
 */
final class NftBenchmark {
  /**
   * @param fullPass an empty table to {@code pods} pods: the agent's pass
   * @param fullTransaction the one {@code nft -f -} of that pass alone
   * @param onePod a pass adding one pod to the selection
   */
  record Result(int pods, Samples fullPass, Samples fullTransaction, Samples onePod) {}

  private NftBenchmark() {}

  static Result run(int pods, int fullRuns, int increments) throws Exception {
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("nft");
      return InNetns.call(node, () -> measure(pods, fullRuns, increments));
    }
  }

  private static Result measure(int pods, int fullRuns, int increments) throws Exception {
    NftCli nft = new NftCli(new ProcessRunner(Duration.ofSeconds(60)));
    NftTable full = table(pods, 0);
    // Warm-up: the agent is a long-running process; its code is compiled by the time pods change.
    for (int i = 0; i < 3; i++) {
      nft.apply(NftScript.delete());
      NftSync s = new NftSync(nft);
      s.sync(full);
      for (int k = 1; k <= 5; k++) {
        s.sync(table(pods, k));
      }
    }
    List<Double> passes = new ArrayList<>();
    List<Double> transactions = new ArrayList<>();
    for (int r = 0; r < fullRuns; r++) {
      nft.apply(NftScript.delete());
      long t0 = System.nanoTime();
      NftSync.Change c = new NftSync(nft).sync(full);
      passes.add(millis(t0));
      expect(c, NftSync.Change.TABLE);
      nft.apply(NftScript.delete());
      String transaction = NftScript.replace(full);
      t0 = System.nanoTime();
      nft.apply(transaction);
      transactions.add(millis(t0));
    }
    NftSync sync = new NftSync(nft);
    expect(sync.sync(full), NftSync.Change.NONE);
    List<Double> increments1 = new ArrayList<>();
    for (int k = 1; k <= increments; k++) {
      NftTable next = table(pods, k);
      long t0 = System.nanoTime();
      NftSync.Change c = sync.sync(next);
      increments1.add(millis(t0));
      expect(c, NftSync.Change.ELEMENTS);
    }
    nft.apply(NftScript.delete());
    return new Result(pods, Samples.of(passes), Samples.of(transactions), Samples.of(increments1));
  }

  /** The gateway's table with {@code pods} pods plus {@code extra} more. */
  static NftTable table(int pods, int extra) {
    List<TunnelPlan> plans = PlanFixtures.egressGatewayWithPods(pods + extra);
    return DesiredStateFunction.compute(plans).nft();
  }

  private static void expect(NftSync.Change got, NftSync.Change want) {
    if (got != want) {
      throw new IllegalStateException("nft pass did " + got + ", expected " + want);
    }
  }

  private static double millis(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }
}
