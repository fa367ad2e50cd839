package io.tunnelier.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.plan.HeldPod;
import org.junit.jupiter.api.Test;

/** What {@code nft -j list table inet tunnelier_cni} prints (nft 1.0.6), read back. */
class NftHoldTableTest {
  static final String LISTED =
      """
      {"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
       {"table": {"family": "inet", "name": "tunnelier_cni", "handle": 1}},
       {"set": {"family": "inet", "name": "held4", "table": "tunnelier_cni", "type": "ipv4_addr",
         "handle": 1, "elem": [{"elem": {"val": "100.64.1.5", "comment": "0b1c2d3e-aaaa"}},
         "100.64.1.6"]}},
       {"set": {"family": "inet", "name": "held6", "table": "tunnelier_cni", "type": "ipv6_addr",
         "handle": 2, "elem": [{"elem": {"val": "fd00:10::5", "comment": "0b1c2d3e-aaaa"}}]}},
       {"set": {"family": "inet", "name": "open4", "table": "tunnelier_cni", "type": "ipv4_addr",
         "handle": 3, "flags": ["interval"], "elem": [{"prefix": {"addr": "100.64.0.0", "len": 16}},
         "192.0.2.1"]}},
       {"chain": {"family": "inet", "table": "tunnelier_cni", "name": "forward", "handle": 4,
         "type": "filter", "hook": "forward", "prio": -5, "policy": "accept"}},
       {"rule": {"family": "inet", "table": "tunnelier_cni", "chain": "forward", "handle": 5,
         "comment": "held: a new pod the agent has not programmed yet", "expr": [
         {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}},
           "right": "@held4"}}, {"counter": {"packets": 12, "bytes": 1008}}, {"drop": null}]}}]}
      """;

  @Test
  void holdsWithTheirPodsRulesAndCounters() throws Exception {
    HoldTable.Live live = NftHoldTable.parse(LISTED);

    assertThat(live.held())
        .containsExactly(
            new HeldPod("100.64.1.5", "0b1c2d3e-aaaa"),
            new HeldPod("100.64.1.6", null),
            new HeldPod("fd00:10::5", "0b1c2d3e-aaaa"));
    assertThat(live.ruleComments()).containsExactly(HoldScript.RULE_IPV4);
    assertThat(live.droppedPackets()).containsEntry(HoldScript.RULE_IPV4, 12L);
    assertThat(live.open()).containsExactlyInAnyOrder("100.64.0.0/16", "192.0.2.1");
  }
}
