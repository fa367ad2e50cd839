package io.tunnelier.agent.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunnelier.agent.kernel.CommandRunner;
import io.tunnelier.agent.kernel.Ownership;
import io.tunnelier.agent.plan.HeldPod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link HoldTable} through the nft command: {@code nft -j list table}, {@code nft -f -}. */
public final class NftHoldTable implements HoldTable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CommandRunner runner;

  public NftHoldTable(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public Optional<Live> read() throws IOException {
    CommandRunner.Result r =
        runner.run(
            List.of("nft", "-j", "list", "table", Ownership.NFT_FAMILY, Ownership.NFT_HOLD_TABLE),
            null);
    if (r.exitCode() != 0) {
      if (r.stderr().contains("No such file or directory")) {
        return Optional.empty();
      }
      throw new IOException("nft list table exited " + r.exitCode() + ": " + r.stderr().strip());
    }
    return Optional.of(parse(r.stdout()));
  }

  /** The holds (an element is {@code "addr"} or {@code {"elem": {"val", "comment"}}}) and rules. */
  static Live parse(String json) throws IOException {
    List<HeldPod> held = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    Map<String, Long> dropped = new TreeMap<>();
    Set<String> open = new TreeSet<>();
    for (JsonNode item : JSON.readTree(json).path("nftables")) {
      JsonNode set = item.path("set");
      String name = set.path("name").asText("");
      if (name.equals(HoldScript.HELD4) || name.equals(HoldScript.HELD6)) {
        for (JsonNode e : set.path("elem")) {
          if (e.isTextual()) {
            held.add(new HeldPod(e.asText(), null));
          } else if (e.path("elem").path("val").isTextual()) {
            JsonNode elem = e.path("elem");
            held.add(new HeldPod(elem.path("val").asText(), elem.path("comment").asText(null)));
          }
        }
      }
      if (name.equals(HoldScript.OPEN4)) {
        for (JsonNode e : set.path("elem")) {
          if (e.isTextual()) {
            open.add(e.asText());
          } else if (e.path("prefix").isObject()) {
            open.add(
                e.path("prefix").path("addr").asText()
                    + "/"
                    + e.path("prefix").path("len").asInt());
          } else {
            open.add(e.toString()); // a range: never what the agent writes, so it is rewritten
          }
        }
      }
      JsonNode rule = item.path("rule");
      if (rule.isObject()) {
        String comment = rule.path("comment").asText("");
        comments.add(comment);
        for (JsonNode e : rule.path("expr")) {
          if (e.path("counter").isObject()) {
            dropped.merge(comment, e.path("counter").path("packets").asLong(0), Long::sum);
          }
        }
      }
    }
    return new Live(held, comments, dropped, open);
  }

  @Override
  public void apply(String transaction) throws IOException {
    runner.runOk(List.of("nft", "-f", "-"), transaction);
  }
}
