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
    assertThat(a.content()).isEqualTo(b.content()).doesNotContain("handle", "1234");
  }

  @Test
  void aChangedRuleIsADifference() throws Exception {
    assertThat(NftCli.parse(dump(3, 0)).content())
        .isNotEqualTo(NftCli.parse(dump(3, 0).replace("tnl-1", "tnl-2")).content());
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
}
