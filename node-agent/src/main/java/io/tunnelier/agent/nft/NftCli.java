package io.tunnelier.agent.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelier.agent.kernel.Ownership;
import io.tunnelier.agent.kernel.ProcessRunner;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@link Nftables} through the nft command: {@code nft -j list table}, {@code nft -f -}. */
public final class NftCli implements Nftables {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ProcessRunner runner;

  public NftCli(ProcessRunner runner) {
    this.runner = runner;
  }

  @Override
  public LiveTable read() throws IOException {
    ProcessRunner.Result r =
        runner.run(
            List.of("nft", "-j", "list", "table", Ownership.NFT_FAMILY, Ownership.NFT_TABLE), null);
    if (r.exitCode() != 0) {
      if (r.stderr().contains("No such file or directory")) {
        return LiveTable.ABSENT;
      }
      throw new IOException("nft list table exited " + r.exitCode() + ": " + r.stderr().strip());
    }
    return parse(r.stdout());
  }

  static LiveTable parse(String json) throws IOException {
    JsonNode root = JSON.readTree(json).path("nftables");
    ArrayNode kept = JSON.createArrayNode();
    String fingerprint = null;
    for (JsonNode item : root) {
      if (item.has("metainfo")) {
        continue;
      }
      JsonNode set = item.path("set");
      if (set.isObject() && NftScript.FINGERPRINT_SET.equals(set.path("name").asText())) {
        fingerprint = set.path("comment").asText(null);
      }
      kept.add(normalize(item.deepCopy()));
    }
    return new LiveTable(true, fingerprint, JSON.writeValueAsString(kept));
  }

  /** Drops handles and zeroes counters: neither is a difference in what the table does. */
  private static JsonNode normalize(JsonNode node) {
    if (node instanceof ObjectNode o) {
      o.remove("handle");
      if (o.has("counter") && o.get("counter").isObject()) {
        o.set("counter", JSON.createObjectNode());
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        normalize(it.next().getValue());
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(NftCli::normalize);
    }
    return node;
  }

  @Override
  public void apply(String transaction) throws IOException {
    runner.runOk(List.of("nft", "-f", "-"), transaction);
  }

  /** {@code nft -c -f -}: checks a transaction without applying it. */
  public void check(String transaction) throws IOException {
    runner.runOk(List.of("nft", "-c", "-f", "-"), transaction);
  }
}
