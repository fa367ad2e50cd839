package io.tunnelier.agent.plan;

import io.tunnelier.agent.kernel.Ownership;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Assigns identities to a node's tunnels. Two keys whose 16-bit table slots collide are resolved
 * deterministically: in key order, the later one takes the next free slot.
 */
public final class TunnelIds {
  private TunnelIds() {}

  public static Map<String, TunnelId> assign(Collection<String> keys) {
    Map<String, TunnelId> out = new LinkedHashMap<>();
    Set<Integer> used = new HashSet<>();
    for (String key : new TreeSet<>(keys)) {
      TunnelId id = TunnelId.of(key);
      int table = id.table();
      while (used.contains(table)) {
        table =
            table == Ownership.TABLE_MIN + Ownership.TABLE_SLOTS - 1
                ? Ownership.TABLE_MIN
                : table + 1;
      }
      used.add(table);
      out.put(key, table == id.table() ? id : id.withTable(table));
    }
    return out;
  }
}
