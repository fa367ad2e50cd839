package io.tunnelier.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** nft 1.0.6's JSON: the fingerprint is found, handles and counter values do not count. */
class NftCliParseTest {
  static String dump(int handle, int packets) {
    return """
        {"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
         {"table": {"family": "inet", "name": "tunnelier", "handle": %d}},
         {"set": {"family": "inet", "name": "fingerprint", "table": "tunnelier", "type": "ipv4_addr", "handle": 1, "comment": "sha256:abc"}},
         {"rule": {"family": "inet", "table": "tunnelier", "chain": "forward", "handle": 6, "expr": [
           {"match": {"op": "!=", "left": {"meta": {"key": "oifname"}}, "right": "tnl-1"}},
           {"counter": {"packets": %d, "bytes": %d}}, {"drop": null}]}}]}
        """
        .formatted(handle, packets, packets * 84);
  }

  @Test
  void fingerprintAndNormalisedContent() throws Exception {
    LiveTable a = NftCli.parse(dump(3, 0));
    LiveTable b = NftCli.parse(dump(9, 1234));
    assertThat(a.exists()).isTrue();
    assertThat(a.fingerprint()).isEqualTo("sha256:abc");
    assertThat(a.sameContent(b)).isTrue();
    assertThat(a.structure()).doesNotContain("handle", "1234");
  }

  @Test
  void aChangedRuleIsADifference() throws Exception {
    assertThat(
            NftCli.parse(dump(3, 0))
                .sameContent(NftCli.parse(dump(3, 0).replace("tnl-1", "tnl-2"))))
        .isFalse();
  }

  static final String WITH_ELEMENTS =
      """
      {"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
       {"table": {"family": "inet", "name": "tunnelier", "handle": 3}},
       {"set": {"family": "inet", "name": "pods_1", "table": "tunnelier", "type": "ipv4_addr", "handle": 2, "comment": "a/b", "elem": ["100.64.1.7", "100.64.1.5"]}},
       {"set": {"family": "inet", "name": "dst_1", "table": "tunnelier", "type": "ipv4_addr", "handle": 3, "flags": ["interval"], "elem": [{"prefix": {"addr": "0.0.0.0", "len": 0}}]}},
       {"set": {"family": "inet", "name": "fingerprint", "table": "tunnelier", "type": "ipv4_addr", "handle": 9, "comment": "sha256:new"}},
       {"chain": {"family": "inet", "table": "tunnelier", "name": "forward", "handle": 4, "type": "filter", "hook": "forward", "prio": -10, "policy": "accept"}}]}
      """;

  @Test
  void elementsAreKeptApartSortedAndTheFingerprintSetsPlaceDoesNotMatter() throws Exception {
    LiveTable t = NftCli.parse(WITH_ELEMENTS);
    assertThat(t.fingerprint()).isEqualTo("sha256:new");
    assertThat(t.elements().get("pods_1")).containsExactly("100.64.1.5", "100.64.1.7");
    assertThat(t.elements().get("dst_1"))
        .containsExactly("{\"prefix\":{\"addr\":\"0.0.0.0\",\"len\":0}}");
    assertThat(t.structure()).doesNotContain("100.64.1.5", "sha256");
    // The same table with the fingerprint set first (as a full replace leaves it) and another
    // stamp.
    String reordered =
        WITH_ELEMENTS
            .replace(
                "{\"set\": {\"family\": \"inet\", \"name\": \"fingerprint\", \"table\": \"tunnelier\", \"type\": \"ipv4_addr\", \"handle\": 9, \"comment\": \"sha256:new\"}},\n",
                "")
            .replace(
                "{\"table\": {\"family\": \"inet\", \"name\": \"tunnelier\", \"handle\": 3}},",
                "{\"table\": {\"family\": \"inet\", \"name\": \"tunnelier\", \"handle\": 3}},"
                    + " {\"set\": {\"family\": \"inet\", \"name\": \"fingerprint\", \"table\": \"tunnelier\","
                    + " \"type\": \"ipv4_addr\", \"handle\": 1, \"comment\": \"sha256:old\"}},");
    LiveTable before = NftCli.parse(reordered);
    assertThat(before.fingerprint()).isEqualTo("sha256:old");
    assertThat(before.sameContent(t)).isTrue();
  }

  @Test
  void anElementUpdateSaysWhatTheTableHoldsAfterwards() throws Exception {
    LiveTable t = NftCli.parse(WITH_ELEMENTS);
    NftDelta delta =
        new NftDelta(
            java.util.Map.of("pods_1", java.util.List.of("100.64.1.9")),
            java.util.Map.of("pods_1", java.util.List.of("100.64.1.5")));
    LiveTable after = t.after(delta);
    assertThat(after.fingerprint()).isEqualTo(t.fingerprint());
    assertThat(after.elements().get("pods_1")).containsExactly("100.64.1.7", "100.64.1.9");
    assertThat(after.structure()).isEqualTo(t.structure());
    assertThat(after.sameStructure(t, java.util.Set.of("pods_1"))).isTrue();
    assertThat(after.sameStructure(t, java.util.Set.of())).isFalse();
    assertThat(NftScript.update(delta))
        .isEqualTo(
            "delete element inet tunnelier pods_1 { 100.64.1.5 }\n"
                + "add element inet tunnelier pods_1 { 100.64.1.9 }\n");
  }

  @Test
  void transactionReplacesTheTableAtomicallyAndAnEmptyOneRemovesIt() {
    NftTable t =
        new NftTable(
            java.util.List.of(
                new NftSet("pods_1", "ipv4_addr", false, java.util.List.of("100.64.1.5"), "a/b")),
            java.util.List.of(
                new NftChain(
                    "forward",
                    "filter",
                    "forward",
                    "filter - 10",
                    java.util.List.of("ip saddr @pods_1 drop"))));
    String script = NftScript.replace(t);
    assertThat(script)
        .startsWith(
            "add table inet tunnelier\ndelete table inet tunnelier\nadd table inet tunnelier {")
        .contains(
            "comment \"" + t.fingerprint() + "\"",
            "add element inet tunnelier pods_1 { 100.64.1.5 }",
            "add rule inet tunnelier forward ip saddr @pods_1 drop");
    assertThat(NftScript.delete())
        .isEqualTo("add table inet tunnelier\ndelete table inet tunnelier\n");
  }

  @Test
  void dropCountersOfCountedDropRulesByComment() throws Exception {
    String terse =
        """
        {"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
         {"table": {"family": "inet", "name": "tunnelier", "handle": 1}},
         {"set": {"family": "inet", "name": "pods_a", "table": "tunnelier", "type": "ipv4_addr", "handle": 1}},
         {"rule": {"family": "inet", "table": "tunnelier", "chain": "forward", "handle": 3, "comment": "kill switch ns/a", "expr": [
           {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@pods_a"}},
           {"counter": {"packets": 7, "bytes": 588}}, {"drop": null}]}},
         {"rule": {"family": "inet", "table": "tunnelier", "chain": "forward", "handle": 4, "comment": "kill switch ns/a", "expr": [
           {"counter": {"packets": 2, "bytes": 168}}, {"drop": null}]}},
         {"rule": {"family": "inet", "table": "tunnelier", "chain": "forward", "handle": 5, "comment": "ns/a", "expr": [
           {"counter": {"packets": 99, "bytes": 1}}, {"accept": null}]}},
         {"rule": {"family": "inet", "table": "tunnelier", "chain": "input", "handle": 6, "comment": "ns/a: to this host from tnl-1", "expr": [
           {"drop": null}]}},
         {"rule": {"family": "inet", "table": "tunnelier", "chain": "input", "handle": 7, "expr": [
           {"counter": {"packets": 5, "bytes": 1}}, {"drop": null}]}}]}
        """;
    assertThat(NftCli.parseDropCounters(terse))
        .as("only rules that count and drop, with a comment; the same comment summed")
        .containsExactlyEntriesOf(java.util.Map.of("kill switch ns/a", 9L));
    assertThat(NftCli.parse(terse).droppedPackets())
        .as("a full read carries the same counters, and its structure still has them zeroed")
        .containsExactlyEntriesOf(java.util.Map.of("kill switch ns/a", 9L));
    assertThat(NftCli.parse(terse).structure()).doesNotContain("588", "168");
  }
}
