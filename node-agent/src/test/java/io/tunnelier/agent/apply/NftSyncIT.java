package io.tunnelier.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.kernel.ProcessRunner;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.agent.nft.NftCli;
import io.tunnelier.agent.nft.NftTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Element-only updates on the real kernel, with a 10,000-pod set: one pod more or less is one small
 * transaction, and what the agent computes the table holds afterwards is exactly what nft reads
 * back (no spurious rewrite), after a restart too; an element deleted behind its back comes back.
 * Runs the agent's own code on a thread inside a lab namespace, as the agent runs in the node's.
 * Timings are printed, not asserted.
 */
class NftSyncIT {
  @Test
  void tenThousandPodsThenOneMoreAndOneLess() throws Exception {
    Lab.assumeAvailable();
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      List<String> pods = NftSyncTest.pods(10_000);
      NftTable full = NftSyncTest.table(pods);
      NftTable more = NftSyncTest.table(NftSyncTest.plus(pods, "100.65.0.1"));
      InNetns.call(
          node,
          () -> {
            NftCli nft = new NftCli(new ProcessRunner(Duration.ofSeconds(60)));
            NftSync sync = new NftSync(nft);
            assertThat(timed("10,000 pods", () -> sync.sync(full))).isEqualTo(NftSync.Change.TABLE);
            assertThat(nft.read().elements().get("pods_1")).hasSize(10_000);

            assertThat(timed("one pod more", () -> sync.sync(more)))
                .isEqualTo(NftSync.Change.ELEMENTS);
            assertThat(nft.read().elements().get("pods_1")).hasSize(10_001).contains("100.65.0.1");
            assertThat(nft.read().fingerprint()).isEqualTo(full.fingerprint());
            assertThat(timed("check, nothing to do", () -> sync.sync(more)))
                .as("the computed table is what nft reads back")
                .isEqualTo(NftSync.Change.NONE);

            List<String> fewer = new ArrayList<>(pods);
            fewer.remove("100.64.3.7");
            NftTable less = NftSyncTest.table(fewer);
            assertThat(timed("two pods changed", () -> sync.sync(less)))
                .isEqualTo(NftSync.Change.ELEMENTS);
            assertThat(nft.read().elements().get("pods_1"))
                .hasSize(9_999)
                .doesNotContain("100.64.3.7", "100.65.0.1");
            assertThat(new NftSync(nft).sync(less))
                .as("a restarted agent adopts it")
                .isEqualTo(NftSync.Change.NONE);

            node.execOk(
                "nft", "delete", "element", "inet", "tunnelier", "pods_1", "{ 100.64.3.8 }");
            assertThat(sync.sync(less))
                .as("an element deleted behind its back")
                .isEqualTo(NftSync.Change.ELEMENTS);
            assertThat(nft.read().elements().get("pods_1")).contains("100.64.3.8");
            node.execOk("nft", "flush", "chain", "inet", "tunnelier", "forward");
            assertThat(sync.sync(less))
                .as("a chain flushed behind its back")
                .isEqualTo(NftSync.Change.TABLE);
            assertThat(sync.sync(less)).isEqualTo(NftSync.Change.NONE);
            for (int i = 1; i <= 5; i++) {
              List<String> next = new ArrayList<>(fewer);
              for (int k = 1; k <= i; k++) {
                next.add("100.66.0." + k);
              }
              NftTable t = NftSyncTest.table(next);
              assertThat(timed("one pod more, warm", () -> sync.sync(t)))
                  .isEqualTo(NftSync.Change.ELEMENTS);
            }
            return null;
          });
    }
  }

  private static NftSync.Change timed(String what, java.util.concurrent.Callable<NftSync.Change> c)
      throws Exception {
    long t0 = System.nanoTime();
    NftSync.Change change = c.call();
    System.out.printf("[nft] %s: %s in %.1f ms%n", what, change, (System.nanoTime() - t0) / 1e6);
    return change;
  }
}
