package io.tunnelier.agent.nft;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-memory {@link Nftables}: interprets the subset of the nft language the agent writes and
 * applies a transaction all or nothing (a copy is changed; it replaces the state only when every
 * line succeeded), as the kernel does. Errors match nft's: deleting an absent table, adding to a
 * set or chain that does not exist, a rule naming an unknown set.
 */
public final class FakeNftables implements Nftables {
  private static final Pattern ADD_TABLE =
      Pattern.compile("^add table inet tunnelier(?: \\{.*})?$");
  private static final Pattern DELETE_TABLE = Pattern.compile("^delete table inet tunnelier$");
  private static final Pattern ADD_SET =
      Pattern.compile("^add set inet tunnelier (\\S+) \\{(.*)}$");
  private static final Pattern ADD_ELEMENT =
      Pattern.compile("^add element inet tunnelier (\\S+) \\{ (.*) }$");
  private static final Pattern DELETE_ELEMENT =
      Pattern.compile("^delete element inet tunnelier (\\S+) \\{ (.*) }$");
  private static final Pattern DELETE_SET = Pattern.compile("^delete set inet tunnelier (\\S+)$");
  private static final Pattern ADD_CHAIN =
      Pattern.compile("^add chain inet tunnelier (\\S+) \\{(.*)}$");
  private static final Pattern ADD_RULE = Pattern.compile("^add rule inet tunnelier (\\S+) (.+)$");
  private static final Pattern SET_REF = Pattern.compile("@([A-Za-z0-9_]+)");
  private static final Pattern COMMENT = Pattern.compile("comment \"([^\"]*)\"");

  private static final class Table {
    final Map<String, String> setSpecs = new LinkedHashMap<>();
    final Map<String, List<String>> elements = new LinkedHashMap<>();
    final Map<String, String> chainSpecs = new LinkedHashMap<>();
    final Map<String, List<String>> rules = new LinkedHashMap<>();

    Table copy() {
      Table t = new Table();
      t.setSpecs.putAll(setSpecs);
      elements.forEach((k, v) -> t.elements.put(k, new ArrayList<>(v)));
      t.chainSpecs.putAll(chainSpecs);
      rules.forEach((k, v) -> t.rules.put(k, new ArrayList<>(v)));
      return t;
    }

    /** Everything but elements and the fingerprint's comment, sets in name order (as NftCli). */
    String structure() {
      StringBuilder b = new StringBuilder();
      new java.util.TreeMap<>(setSpecs)
          .forEach(
              (k, v) ->
                  b.append("set ")
                      .append(k)
                      .append(NftScript.FINGERPRINT_SET.equals(k) ? "" : v)
                      .append('\n'));
      chainSpecs.forEach(
          (k, v) -> b.append("chain ").append(k).append(v).append(rules.get(k)).append('\n'));
      return b.toString();
    }
  }

  private Table table;
  private final Map<String, Long> dropped = new LinkedHashMap<>();
  private final List<String> transactions = new ArrayList<>();
  private boolean failNext;
  private int reads;
  private int counterReads;

  @Override
  public synchronized LiveTable read() {
    reads++;
    if (table == null) {
      return LiveTable.ABSENT;
    }
    String spec = table.setSpecs.get(NftScript.FINGERPRINT_SET);
    String fingerprint = null;
    if (spec != null) {
      Matcher m = COMMENT.matcher(spec);
      fingerprint = m.find() ? m.group(1) : null;
    }
    Map<String, java.util.Set<String>> elements = new LinkedHashMap<>();
    table.elements.forEach((k, v) -> elements.put(k, new java.util.HashSet<>(v)));
    return new LiveTable(true, fingerprint, table.structure(), elements, counters());
  }

  /**
   * As if {@code packets} had hit the counted drop rules with this comment since they were made:
   * the kernel's counters, which no transaction of the agent writes.
   */
  public synchronized void dropped(String comment, long packets) {
    dropped.put(comment, packets);
  }

  @Override
  public synchronized Map<String, Long> droppedPackets() {
    counterReads++;
    return counters();
  }

  private Map<String, Long> counters() {
    Map<String, Long> out = new java.util.TreeMap<>();
    if (table != null) {
      for (List<String> rules : table.rules.values()) {
        for (String r : rules) {
          Matcher m = COMMENT.matcher(r);
          if (r.contains("counter drop") && m.find()) {
            out.merge(m.group(1), dropped.getOrDefault(m.group(1), 0L), Long::sum);
          }
        }
      }
    }
    return out;
  }

  @Override
  public synchronized void apply(String transaction) throws IOException {
    if (failNext) {
      failNext = false;
      throw new IOException("Error: Could not process rule: Operation not permitted (injected)");
    }
    Table t = table == null ? null : table.copy();
    int n = 0;
    for (String raw : transaction.split("\n")) {
      n++;
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      Matcher m;
      if (ADD_TABLE.matcher(line).matches()) {
        if (t == null) {
          t = new Table();
        }
      } else if (DELETE_TABLE.matcher(line).matches()) {
        if (t == null) {
          throw error(n, line, "No such file or directory");
        }
        t = null;
      } else if ((m = ADD_SET.matcher(line)).matches()) {
        need(t, n, line).setSpecs.put(m.group(1), m.group(2));
        t.elements.putIfAbsent(m.group(1), new ArrayList<>());
      } else if ((m = ADD_ELEMENT.matcher(line)).matches()) {
        List<String> el = need(t, n, line).elements.get(m.group(1));
        if (el == null) {
          throw error(n, line, "No such file or directory (set " + m.group(1) + ")");
        }
        for (String e : m.group(2).split(", ")) {
          if (!el.contains(e)) {
            el.add(e);
          }
        }
      } else if ((m = DELETE_ELEMENT.matcher(line)).matches()) {
        List<String> el = need(t, n, line).elements.get(m.group(1));
        if (el == null) {
          throw error(n, line, "No such file or directory (set " + m.group(1) + ")");
        }
        for (String e : m.group(2).split(", ")) {
          if (!el.remove(e)) {
            throw error(n, line, "Could not process rule: No such file or directory (" + e + ")");
          }
        }
      } else if ((m = DELETE_SET.matcher(line)).matches()) {
        Table tt = need(t, n, line);
        String set = m.group(1);
        if (!tt.setSpecs.containsKey(set)) {
          throw error(n, line, "No such file or directory (set " + set + ")");
        }
        for (List<String> rs : tt.rules.values()) {
          for (String r : rs) {
            if (r.contains("@" + set + " ") || r.endsWith("@" + set)) {
              throw error(n, line, "Could not process rule: Device or resource busy");
            }
          }
        }
        tt.setSpecs.remove(set);
        tt.elements.remove(set);
      } else if ((m = ADD_CHAIN.matcher(line)).matches()) {
        need(t, n, line).chainSpecs.put(m.group(1), m.group(2));
        t.rules.putIfAbsent(m.group(1), new ArrayList<>());
      } else if ((m = ADD_RULE.matcher(line)).matches()) {
        List<String> rs = need(t, n, line).rules.get(m.group(1));
        if (rs == null) {
          throw error(n, line, "No such file or directory (chain " + m.group(1) + ")");
        }
        Matcher ref = SET_REF.matcher(m.group(2));
        while (ref.find()) {
          if (!t.setSpecs.containsKey(ref.group(1))) {
            throw error(n, line, "Set '" + ref.group(1) + "' does not exist");
          }
        }
        rs.add(m.group(2));
      } else {
        throw error(n, line, "syntax error (the fake knows only what the agent writes)");
      }
    }
    if (transaction.contains("delete table inet tunnelier")) {
      dropped.clear(); // new rules count from 0, as the kernel's do
    }
    table = t;
    transactions.add(transaction);
  }

  private static Table need(Table t, int n, String line) throws IOException {
    if (t == null) {
      throw error(n, line, "No such file or directory (table inet tunnelier)");
    }
    return t;
  }

  private static IOException error(int n, String line, String why) {
    return new IOException("-:" + n + ": Error: " + why + ": " + line);
  }

  /** Someone else edits our table behind the agent's back: removes one element of a set. */
  public synchronized void removeElementBehindOurBack(String set, String element) {
    table.elements.get(set).remove(element);
  }

  /** Someone else edits our table behind the agent's back: deletes a chain's rules. */
  public synchronized void flushChainBehindOurBack(String chain) {
    table.rules.get(chain).clear();
  }

  public synchronized void failNextTransaction() {
    failNext = true;
  }

  /** How many times the table was read (each a whole {@code nft -j list table} on the kernel). */
  public synchronized int reads() {
    return reads;
  }

  /** How many times the drop counters were listed on their own ({@code nft -j -t list table}). */
  public synchronized int counterReads() {
    return counterReads;
  }

  public synchronized List<String> transactions() {
    return List.copyOf(transactions);
  }

  /** Rules of one chain, in order; empty when there is no table or chain. */
  public synchronized List<String> rules(String chain) {
    return table == null || !table.rules.containsKey(chain)
        ? List.of()
        : List.copyOf(table.rules.get(chain));
  }

  public synchronized List<String> setElements(String set) {
    return table == null || !table.elements.containsKey(set)
        ? List.of()
        : List.copyOf(table.elements.get(set));
  }

  public synchronized boolean exists() {
    return table != null;
  }
}
