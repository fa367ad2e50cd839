package io.tunnelier.agent.nft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The elements to add to and remove from plain (non-interval) sets when that is all that differs
 * between two tables: a pod joining or leaving a Tunnel's selection. Anything else (a chain, a
 * rule, a set's declaration, an interval set's elements) is a structural change and has no delta.
 *
 * @param added set name to the elements it gains, in the desired table's order
 * @param removed set name to the elements it loses
 */
public record NftDelta(Map<String, List<String>> added, Map<String, List<String>> removed) {
  public NftDelta {
    added = Map.copyOf(added);
    removed = Map.copyOf(removed);
  }

  /**
   * The element changes that turn {@code from} into {@code to}; null when more than that differs.
   */
  public static NftDelta between(NftTable from, NftTable to) {
    if (from.isEmpty()
        || to.isEmpty()
        || !from.chains().equals(to.chains())
        || from.sets().size() != to.sets().size()) {
      return null;
    }
    Map<String, List<String>> added = new LinkedHashMap<>();
    Map<String, List<String>> removed = new LinkedHashMap<>();
    for (int i = 0; i < from.sets().size(); i++) {
      NftSet a = from.sets().get(i);
      NftSet b = to.sets().get(i);
      if (!a.name().equals(b.name())
          || !a.type().equals(b.type())
          || a.interval() != b.interval()
          || !java.util.Objects.equals(a.comment(), b.comment())) {
        return null;
      }
      if (a.elements().equals(b.elements())) {
        continue;
      }
      if (a.interval()) {
        return null; // the kernel merges intervals: what a read shows is not what was written
      }
      Set<String> before = new HashSet<>(a.elements());
      Set<String> after = new HashSet<>(b.elements());
      List<String> plus = new ArrayList<>();
      for (String e : b.elements()) {
        if (!before.contains(e)) {
          plus.add(e);
        }
      }
      List<String> minus = new ArrayList<>();
      for (String e : a.elements()) {
        if (!after.contains(e)) {
          minus.add(e);
        }
      }
      if (!plus.isEmpty()) {
        added.put(a.name(), plus);
      }
      if (!minus.isEmpty()) {
        removed.put(a.name(), minus);
      }
    }
    return new NftDelta(added, removed);
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty();
  }

  public int addedCount() {
    return added.values().stream().mapToInt(List::size).sum();
  }

  public int removedCount() {
    return removed.values().stream().mapToInt(List::size).sum();
  }
}
