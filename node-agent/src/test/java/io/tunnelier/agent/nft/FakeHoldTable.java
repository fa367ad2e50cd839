package io.tunnelier.agent.nft;

import io.tunnelier.agent.plan.HeldPod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-memory {@link HoldTable}: interprets what {@link HoldScript} and the CNI plugin write, all or
 * nothing, with nft's errors for a missing table, set or element. {@link #hold} is the plugin's
 * transaction; {@link #failNext} makes the next apply fail as a refused nft would.
 */
public final class FakeHoldTable implements HoldTable {
  private static final String T = "inet tunnelier_cni";
  private static final Pattern ADD_SET = Pattern.compile("^add set " + T + " (\\S+) \\{.*}$");
  private static final Pattern FLUSH_SET = Pattern.compile("^flush set " + T + " (\\S+)$");
  private static final Pattern ADD_ELEMENT =
      Pattern.compile("^add element " + T + " (\\S+) \\{ (.*?)(?: comment \"([^\"]*)\")? }$");
  private static final Pattern DELETE_ELEMENT =
      Pattern.compile("^delete element " + T + " (\\S+) \\{ (.*) }$");
  private static final Pattern RULE =
      Pattern.compile("^add rule " + T + " forward .* comment \"([^\"]*)\"$");

  private Map<String, Map<String, String>> sets; // null: no table; set → element → comment
  private List<String> rules = new ArrayList<>();
  private final Map<String, Long> dropped = new TreeMap<>();
  private final List<String> applied = new ArrayList<>();
  private String failNext;

  @Override
  public Optional<Live> read() throws IOException {
    if (sets == null) {
      return Optional.empty();
    }
    List<HeldPod> held = new ArrayList<>();
    for (String set : List.of(HoldScript.HELD4, HoldScript.HELD6)) {
      sets.getOrDefault(set, Map.of()).forEach((e, c) -> held.add(new HeldPod(e, c)));
    }
    return Optional.of(
        new Live(
            held,
            rules,
            dropped,
            new java.util.TreeSet<>(sets.getOrDefault("open4", Map.of()).keySet())));
  }

  @Override
  public void apply(String transaction) throws IOException {
    if (failNext != null) {
      String why = failNext;
      failNext = null;
      throw new IOException(why);
    }
    Map<String, Map<String, String>> s = sets == null ? null : copy(sets);
    List<String> r = new ArrayList<>(rules);
    for (String line : transaction.strip().split("\n")) {
      Matcher m;
      if (line.equals("add table " + T)) {
        s = s == null ? new LinkedHashMap<>() : s;
      } else if (line.equals("delete table " + T)) {
        need(s, line);
        s = null;
        r = new ArrayList<>();
      } else if ((m = ADD_SET.matcher(line)).matches()) {
        need(s, line).putIfAbsent(m.group(1), new LinkedHashMap<>());
      } else if ((m = FLUSH_SET.matcher(line)).matches()) {
        set(s, m.group(1), line).clear();
      } else if ((m = ADD_ELEMENT.matcher(line)).matches()) {
        Map<String, String> set = set(s, m.group(1), line);
        for (String e : m.group(2).split(", ")) {
          if (!set.containsKey(e)) {
            set.put(e, m.group(3)); // nft: adding an element that exists changes nothing
          }
        }
      } else if ((m = DELETE_ELEMENT.matcher(line)).matches()) {
        Map<String, String> set = set(s, m.group(1), line);
        for (String e : m.group(2).split(", ")) {
          if (!set.containsKey(e)) {
            throw new IOException(
                "Error: Could not process rule: No such file or directory: " + line);
          }
          set.remove(e);
        }
      } else if (line.startsWith("add chain " + T + " forward ")) {
        need(s, line);
      } else if (line.equals("flush chain " + T + " forward")) {
        need(s, line);
        r = new ArrayList<>();
      } else if ((m = RULE.matcher(line)).matches()) {
        need(s, line);
        r.add(m.group(1));
      } else {
        throw new IllegalArgumentException("the fake does not know: " + line);
      }
    }
    sets = s;
    rules = r;
    applied.add(transaction);
  }

  /** What the CNI plugin writes for a pod (cni-plugin/plugin.go holdScript). */
  public void hold(String address, String uid) throws IOException {
    String set = address.contains(":") ? HoldScript.HELD6 : HoldScript.HELD4;
    apply(
        "add element %s %s { %s }\ndelete element %s %s { %s }\nadd element %s %s { %s comment \"%s\" }\n"
            .formatted(T, set, address, T, set, address, T, set, address, uid));
  }

  public void failNext(String why) {
    failNext = why;
  }

  public boolean exists() {
    return sets != null;
  }

  public List<String> rules() {
    return List.copyOf(rules);
  }

  public Map<String, String> elements(String set) {
    return sets == null
        ? Map.of()
        : java.util.Collections.unmodifiableMap(
            new LinkedHashMap<>(sets.getOrDefault(set, Map.of())));
  }

  /** Every transaction applied, in order. */
  public List<String> applied() {
    return List.copyOf(applied);
  }

  public void setDropped(String comment, long packets) {
    dropped.put(comment, packets);
  }

  private static Map<String, Map<String, String>> need(
      Map<String, Map<String, String>> s, String line) throws IOException {
    if (s == null) {
      throw new IOException("Error: No such file or directory (no table): " + line);
    }
    return s;
  }

  private static Map<String, String> set(
      Map<String, Map<String, String>> s, String name, String line) throws IOException {
    Map<String, String> set = need(s, line).get(name);
    if (set == null) {
      throw new IOException("Error: No such file or directory (no set " + name + "): " + line);
    }
    return set;
  }

  private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> s) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    s.forEach((k, v) -> out.put(k, new LinkedHashMap<>(v)));
    return out;
  }
}
