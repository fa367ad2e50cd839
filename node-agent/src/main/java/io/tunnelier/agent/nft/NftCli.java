package io.tunnelier.agent.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelier.agent.kernel.CommandRunner;
import io.tunnelier.agent.kernel.Ownership;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link Nftables} through the nft command: {@code nft -j list table}, {@code nft -f -}. */
public final class NftCli implements Nftables {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CommandRunner runner;

  public NftCli(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public LiveTable read() throws IOException {
    CommandRunner.Result r =
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

  @Override
  public Map<String, Long> droppedPackets() throws IOException {
    // -t (terse): no set elements, which are most of the table with many pods
    CommandRunner.Result r =
        runner.run(
            List.of("nft", "-j", "-t", "list", "table", Ownership.NFT_FAMILY, Ownership.NFT_TABLE),
            null);
    if (r.exitCode() != 0) {
      if (r.stderr().contains("No such file or directory")) {
        return Map.of();
      }
      throw new IOException("nft list table exited " + r.exitCode() + ": " + r.stderr().strip());
    }
    return parseDropCounters(r.stdout());
  }

  /** Packets of every rule that counts and drops, by comment. */
  static Map<String, Long> parseDropCounters(String json) throws IOException {
    return dropCounters(JSON.readTree(json).path("nftables"));
  }

  private static Map<String, Long> dropCounters(JsonNode items) {
    Map<String, Long> out = new TreeMap<>();
    for (JsonNode item : items) {
      JsonNode rule = item.path("rule");
      if (!rule.isObject() || !rule.hasNonNull("comment")) {
        continue;
      }
      long packets = -1;
      boolean drop = false;
      for (JsonNode e : rule.path("expr")) {
        if (e.path("counter").isObject()) {
          packets = e.path("counter").path("packets").asLong(0);
        }
        drop |= e.has("drop");
      }
      if (drop && packets >= 0) {
        out.merge(rule.path("comment").asText(), packets, Long::sum);
      }
    }
    return out;
  }

  static LiveTable parse(String json) throws IOException {
    JsonNode root = JSON.readTree(json).path("nftables");
    // The counters first: normalize() then zeroes them in the listing itself, which is ours, so
    // the listing is not copied (with many Tunnels it is the largest tree of a pass).
    Map<String, Long> drops = dropCounters(root);
    ArrayNode kept = JSON.createArrayNode();
    // Sets in name order: re-stamping the fingerprint re-creates its set, which moves it last.
    Map<String, JsonNode> sets = new TreeMap<>();
    Map<String, Set<String>> elements = new TreeMap<>();
    String fingerprint = null;
    for (JsonNode item : root) {
      if (item.has("metainfo")) {
        continue;
      }
      JsonNode entry = normalize(item);
      if (entry.path("set") instanceof ObjectNode set) {
        String name = set.path("name").asText();
        Set<String> members = new TreeSet<>();
        for (JsonNode e : set.path("elem")) {
          members.add(e.isTextual() ? e.asText() : e.toString());
        }
        set.remove("elem");
        elements.put(name, members);
        if (NftScript.FINGERPRINT_SET.equals(name)) {
          fingerprint = set.path("comment").asText(null);
          set.remove("comment");
        }
        sets.put(name, entry);
      } else {
        kept.add(entry);
      }
    }
    ArrayNode ordered = JSON.createArrayNode();
    int i = 0;
    for (; i < kept.size() && kept.get(i).has("table"); i++) {
      ordered.add(kept.get(i));
    }
    sets.values().forEach(ordered::add);
    for (; i < kept.size(); i++) {
      ordered.add(kept.get(i));
    }
    return new LiveTable(true, fingerprint, JSON.writeValueAsString(ordered), elements, drops);
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
