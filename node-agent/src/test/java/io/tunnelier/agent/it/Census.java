package io.tunnelier.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Netns;
import java.util.TreeSet;

/**
 * What of the agent's is in a namespace, counted with the real tools ({@code ip -j}, {@code nft
 * -j}) independently of the agent's own code: links named tnl*, policy rules at priorities
 * 10100..10199, routes in tables 0x540000..0x55ffff, and sets, chains and rules of {@code table
 * inet tunnelier}.
 */
public record Census(TreeSet<String> links, int rules, int routes, int nftObjects, String dump) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static Census of(Netns ns) {
    try {
      TreeSet<String> links = new TreeSet<>();
      for (JsonNode l : JSON.readTree(ns.execOk("ip", "-j", "link", "show"))) {
        if (l.path("ifname").asText().startsWith("tnl")) {
          links.add(l.path("ifname").asText());
        }
      }
      int rules = 0;
      for (JsonNode r : JSON.readTree(ns.execOk("ip", "-j", "-4", "rule", "show"))) {
        int p = r.path("priority").asInt();
        rules += p >= 10100 && p <= 10199 ? 1 : 0;
      }
      int routes = 0;
      for (JsonNode r :
          JSON.readTree(ns.execOk("ip", "-j", "-4", "route", "show", "table", "all"))) {
        String t = r.path("table").asText("main");
        if (t.matches("[0-9]+")) {
          long table = Long.parseLong(t);
          routes += table >= 0x540000 && table <= 0x55ffff ? 1 : 0;
        }
      }
      int nft = 0;
      String dump = "";
      Exec.Result list = ns.exec("nft", "-j", "list", "table", "inet", "tunnelier");
      if (list.exitCode() == 0) {
        dump = ns.execOk("nft", "list", "table", "inet", "tunnelier");
        for (JsonNode o : JSON.readTree(list.stdout()).path("nftables")) {
          nft += o.has("set") || o.has("chain") || o.has("rule") ? 1 : 0;
        }
      }
      return new Census(links, rules, routes, nft, dump);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public boolean empty() {
    return links.isEmpty() && rules == 0 && routes == 0 && nftObjects == 0;
  }

  /** Counts only (the dump has counters that change with traffic). */
  public String counts() {
    return "links=" + links + " rules=" + rules + " routes=" + routes + " nftObjects=" + nftObjects;
  }
}
