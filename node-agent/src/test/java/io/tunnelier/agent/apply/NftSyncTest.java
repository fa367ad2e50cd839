package io.tunnelier.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.agent.nft.FakeNftables;
import io.tunnelier.agent.nft.NftChain;
import io.tunnelier.agent.nft.NftSet;
import io.tunnelier.agent.nft.NftTable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Element-only updates against the in-memory nftables: a pod joining or leaving costs one small
 * transaction and no read; structure changes, failures and edits behind the agent's back still end
 * in a whole, verified table.
 */
class NftSyncTest {
  final FakeNftables nft = new FakeNftables();
  final AtomicLong now = new AtomicLong();
  final NftSync sync = new NftSync(nft, now::get, Duration.ofSeconds(30));

  static NftTable table(List<String> pods) {
    return table(pods, "0.0.0.0/0");
  }

  static final String KILL_SWITCH =
      "ip saddr @pods_1 ip daddr @dst_1 oifname != \"tnl-1\" counter drop";

  static NftTable table(List<String> pods, String destination) {
    return table(pods, destination, KILL_SWITCH);
  }

  static NftTable table(List<String> pods, String destination, String rule) {
    return new NftTable(
        List.of(
            new NftSet("pods_1", "ipv4_addr", false, pods, "ns/t"),
            new NftSet("dst_1", "ipv4_addr", true, List.of(destination), "ns/t")),
        List.of(new NftChain("forward", "filter", "forward", "filter - 10", List.of(rule))));
  }

  static List<String> pods(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "100.64." + (i / 250) + "." + (i % 250 + 2))
        .toList();
  }

  static List<String> plus(List<String> a, String... more) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(more));
    return out;
  }

  @Test
  void theFingerprintLeavesOutPodsButNotDestinations() {
    assertThat(table(pods(3)).fingerprint()).isEqualTo(table(pods(4)).fingerprint());
    assertThat(table(pods(3)).fingerprint())
        .isNotEqualTo(table(pods(3), "203.0.113.0/24").fingerprint());
  }

  @Test
  void onePodMoreIsOneElementAddedAndNothingElse() throws IOException {
    List<String> thousand = pods(1000);
    assertThat(sync.sync(table(thousand))).isEqualTo(NftSync.Change.TABLE);
    int transactions = nft.transactions().size();

    NftTable more = table(plus(thousand, "100.64.9.9"));
    assertThat(sync.sync(more)).isEqualTo(NftSync.Change.ELEMENTS);
    assertThat(nft.transactions()).hasSize(transactions + 1);
    assertThat(nft.transactions().get(transactions))
        .isEqualTo("add element inet tunnelier pods_1 { 100.64.9.9 }\n");
    assertThat(nft.setElements("pods_1")).hasSize(1001).contains("100.64.9.9");
    assertThat(nft.read().fingerprint()).isEqualTo(more.fingerprint());
  }

  @Test
  void aPodLeavingIsOneElementDeleted() throws IOException {
    sync.sync(table(List.of("100.64.1.2", "100.64.1.3")));
    assertThat(sync.sync(table(List.of("100.64.1.3")))).isEqualTo(NftSync.Change.ELEMENTS);
    assertThat(nft.transactions().get(nft.transactions().size() - 1))
        .startsWith("delete element inet tunnelier pods_1 { 100.64.1.2 }\n");
    assertThat(nft.setElements("pods_1")).containsExactly("100.64.1.3");
  }

  @Test
  void whatAnElementUpdateLeavesIsWhatTheNextCheckFinds() throws IOException {
    sync.sync(table(pods(10)));
    sync.sync(table(plus(pods(10), "100.64.9.9")));
    int transactions = nft.transactions().size();
    assertThat(sync.sync(table(plus(pods(10), "100.64.9.9")))).isEqualTo(NftSync.Change.NONE);
    assertThat(nft.transactions()).hasSize(transactions);
    // A restarted agent recognises the re-stamped table and leaves it alone.
    NftSync restarted = new NftSync(nft, now::get, Duration.ofSeconds(30));
    assertThat(restarted.sync(table(plus(pods(10), "100.64.9.9")))).isEqualTo(NftSync.Change.NONE);
    assertThat(nft.transactions()).hasSize(transactions);
  }

  @Test
  void structuralChangesReplaceTheTable() throws IOException {
    sync.sync(table(pods(10)));
    assertThat(sync.sync(table(plus(pods(10), "100.64.9.9"), "203.0.113.0/24")))
        .isEqualTo(NftSync.Change.TABLE);
    assertThat(nft.transactions().get(nft.transactions().size() - 1))
        .startsWith("add table inet tunnelier\ndelete table inet tunnelier\n");
    assertThat(sync.sync(NftTable.NONE)).isEqualTo(NftSync.Change.TABLE);
    assertThat(nft.exists()).isFalse();
  }

  @Test
  void aStructuralChangeIsWrittenWithoutReadingTheTableFirstAndReadOnceAfter() throws IOException {
    sync.sync(table(pods(10)));
    int reads = nft.reads();
    NftTable wider = table(pods(10), "203.0.113.0/24");
    assertThat(sync.sync(wider)).isEqualTo(NftSync.Change.TABLE);
    assertThat(nft.reads() - reads).isEqualTo(1);
    assertThat(nft.read().fingerprint()).isEqualTo(wider.fingerprint());
    // What that one read found is what the next element update starts from.
    reads = nft.reads();
    assertThat(sync.sync(table(plus(pods(10), "100.64.9.9"), "203.0.113.0/24")))
        .isEqualTo(NftSync.Change.ELEMENTS);
    assertThat(nft.reads()).isEqualTo(reads);
  }

  @Test
  void theDropCountersComeFromThePassesReadAndAreListedOnlyWhenItReadNothing() throws IOException {
    String commented = KILL_SWITCH + " comment \"kill switch ns/t\"";
    sync.sync(table(pods(10)));
    sync.sync(table(pods(10), "0.0.0.0/0", commented)); // a replace and the read after it
    nft.dropped("kill switch ns/t", 7);
    assertThat(sync.droppedPackets())
        .as("the read after the replace, made before these drops")
        .containsExactlyEntriesOf(Map.of("kill switch ns/t", 0L));
    assertThat(nft.counterReads()).isZero();

    NftTable onePodMore = table(plus(pods(10), "100.64.9.9"), "0.0.0.0/0", commented);
    assertThat(sync.sync(onePodMore)).isEqualTo(NftSync.Change.ELEMENTS);
    assertThat(sync.droppedPackets())
        .as("an element update reads nothing, so the counters are listed on their own")
        .containsExactlyEntriesOf(Map.of("kill switch ns/t", 7L));
    assertThat(nft.counterReads()).isEqualTo(1);

    now.addAndGet(Duration.ofSeconds(31).toNanos()); // the next pass reads the table
    nft.dropped("kill switch ns/t", 9);
    assertThat(sync.sync(onePodMore)).isEqualTo(NftSync.Change.NONE);
    assertThat(sync.droppedPackets()).containsExactlyEntriesOf(Map.of("kill switch ns/t", 9L));
    assertThat(nft.counterReads()).isEqualTo(1);
  }

  @Test
  void aTableEditedBehindOurBackIsReplacedWholeByTheNextStructuralChange() throws IOException {
    sync.sync(table(pods(10)));
    nft.flushChainBehindOurBack("forward");
    NftTable wider = table(pods(10), "203.0.113.0/24");
    assertThat(sync.sync(wider)).isEqualTo(NftSync.Change.TABLE);
    assertThat(nft.rules("forward")).isEqualTo(wider.chains().get(0).rules());
  }

  @Test
  void anElementRemovedBehindOurBackIsPutBackByTheNextCheck() throws IOException {
    NftTable t = table(pods(10));
    sync.sync(t);
    int transactions = nft.transactions().size();
    nft.removeElementBehindOurBack("pods_1", "100.64.0.5");
    assertThat(sync.sync(t)).isEqualTo(NftSync.Change.ELEMENTS);
    assertThat(nft.transactions().get(transactions))
        .isEqualTo("add element inet tunnelier pods_1 { 100.64.0.5 }\n");
    assertThat(nft.setElements("pods_1")).contains("100.64.0.5");
  }

  @Test
  void aRefusedElementUpdateIsFollowedByARead() throws IOException {
    sync.sync(table(pods(10)));
    nft.removeElementBehindOurBack("pods_1", "100.64.0.5");
    // Deleting the element that is already gone is refused; the read finds only one to add.
    List<String> wanted = new ArrayList<>(pods(10));
    wanted.remove("100.64.0.5");
    wanted.add("100.64.9.9");
    int transactions = nft.transactions().size();
    assertThat(sync.sync(table(wanted))).isEqualTo(NftSync.Change.ELEMENTS);
    assertThat(nft.transactions()).hasSize(transactions + 1);
    assertThat(nft.transactions().get(transactions))
        .isEqualTo("add element inet tunnelier pods_1 { 100.64.9.9 }\n");
    assertThat(nft.setElements("pods_1")).containsExactlyInAnyOrderElementsOf(wanted);
    assertThat(sync.sync(table(wanted))).isEqualTo(NftSync.Change.NONE);
  }

  @Test
  void aRestartedAgentOnlyUpdatesThePodsThatChangedWhileItWasDown() throws IOException {
    sync.sync(table(pods(10)));
    NftSync restarted = new NftSync(nft, now::get, Duration.ofSeconds(30));
    int transactions = nft.transactions().size();
    assertThat(restarted.sync(table(pods(12)))).isEqualTo(NftSync.Change.ELEMENTS);
    assertThat(nft.transactions().get(transactions))
        .isEqualTo("add element inet tunnelier pods_1 { 100.64.0.12, 100.64.0.13 }\n");
  }

  @Test
  void anOldCheckIsRenewedBeforeAnElementUpdateAndCatchesAnEdit() throws IOException {
    sync.sync(table(pods(10)));
    nft.flushChainBehindOurBack("forward");
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThat(sync.sync(table(plus(pods(10), "100.64.9.9")))).isEqualTo(NftSync.Change.TABLE);
    assertThat(nft.rules("forward")).hasSize(1);
    // Checked just now and intact: the next pod is an element update again.
    assertThat(sync.sync(table(plus(pods(10), "100.64.9.9", "100.64.9.10"))))
        .isEqualTo(NftSync.Change.ELEMENTS);
  }

  @Test
  void anOldCheckOfAnIntactTableStillEndsInAnElementUpdate() throws IOException {
    sync.sync(table(pods(10)));
    now.addAndGet(Duration.ofSeconds(31).toNanos());
    assertThat(sync.sync(table(plus(pods(10), "100.64.9.9")))).isEqualTo(NftSync.Change.ELEMENTS);
  }

  @Test
  void anElementUpdateThatFailsIsRetriedAfterARead() throws IOException {
    sync.sync(table(pods(10)));
    nft.failNextTransaction();
    assertThat(sync.sync(table(pods(11)))).isEqualTo(NftSync.Change.ELEMENTS);
    assertThat(nft.setElements("pods_1")).hasSize(11);
  }

  @Test
  void afterAFailedReplaceTheNextPassRewritesTheWholeTable() throws IOException {
    sync.sync(table(pods(10)));
    nft.failNextTransaction();
    assertThatThrownBy(() -> sync.sync(table(pods(10), "203.0.113.0/24")))
        .hasMessageContaining("injected");
    assertThat(nft.setElements("dst_1")).containsExactly("0.0.0.0/0");
    // After a failure nothing is assumed: the table is read, and its structure is right.
    assertThat(sync.sync(table(pods(11)))).isEqualTo(NftSync.Change.ELEMENTS);
    assertThat(sync.sync(table(pods(11), "203.0.113.0/24"))).isEqualTo(NftSync.Change.TABLE);
  }
}
