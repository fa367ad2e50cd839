package io.tunnelier.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which differences are element-only (a delta) and which need the whole table rewritten. */
class NftDeltaTest {
  static NftTable table(List<String> pods, List<String> destinations, String rule) {
    return new NftTable(
        List.of(
            new NftSet("pods_1", "ipv4_addr", false, pods, "ns/t"),
            new NftSet("dst_1", "ipv4_addr", true, destinations, "ns/t")),
        List.of(new NftChain("forward", "filter", "forward", "filter - 10", List.of(rule))));
  }

  static final String DROP = "ip saddr @pods_1 ip daddr @dst_1 oifname != \"tnl-1\" counter drop";

  @Test
  void podsJoiningAndLeavingAreADelta() {
    NftDelta d =
        NftDelta.between(
            table(List.of("100.64.1.2", "100.64.1.3"), List.of("0.0.0.0/0"), DROP),
            table(List.of("100.64.1.3", "100.64.1.4", "100.64.1.5"), List.of("0.0.0.0/0"), DROP));
    assertThat(d.added())
        .containsExactly(java.util.Map.entry("pods_1", List.of("100.64.1.4", "100.64.1.5")));
    assertThat(d.removed()).containsExactly(java.util.Map.entry("pods_1", List.of("100.64.1.2")));
    assertThat(d.addedCount()).isEqualTo(2);
    assertThat(d.removedCount()).isEqualTo(1);
  }

  @Test
  void theSameTableIsAnEmptyDelta() {
    NftTable t = table(List.of("100.64.1.2"), List.of("0.0.0.0/0"), DROP);
    assertThat(NftDelta.between(t, t).isEmpty()).isTrue();
  }

  @Test
  void structuralChangesHaveNoDelta() {
    NftTable t = table(List.of("100.64.1.2"), List.of("0.0.0.0/0"), DROP);
    assertThat(
            NftDelta.between(
                t, table(List.of("100.64.1.2"), List.of("0.0.0.0/0"), DROP + " comment \"x\"")))
        .as("a rule changed")
        .isNull();
    assertThat(NftDelta.between(t, table(List.of("100.64.1.2"), List.of("203.0.113.0/24"), DROP)))
        .as("an interval set's elements: the kernel merges intervals")
        .isNull();
    assertThat(NftDelta.between(t, new NftTable(List.of(t.sets().get(0)), t.chains())))
        .as("a set removed")
        .isNull();
    assertThat(NftDelta.between(t, NftTable.NONE)).as("the table removed").isNull();
    assertThat(NftDelta.between(NftTable.NONE, t)).as("the table created").isNull();
    NftTable renamed =
        new NftTable(
            List.of(
                new NftSet("pods_1", "ipv4_addr", false, List.of("100.64.1.2"), "ns/other"),
                t.sets().get(1)),
            t.chains());
    assertThat(NftDelta.between(t, renamed)).as("a set's comment").isNull();
  }
}
