package io.tunnelier.agent.nft;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code table inet tunnelier} holds now, split so an element-only update can say what the
 * table must look like afterwards without reading it back.
 *
 * @param fingerprint the fingerprint the agent stamped on it, or null
 * @param structure a normalised dump of everything but set elements and the fingerprint (no
 *     handles, counters zeroed, sets in name order) to notice edits made behind the agent's back;
 *     comparable only with dumps from the same {@link Nftables}
 * @param elements every set's elements, by set name (sorted: the kernel's order means nothing)
 * @param droppedPackets the counters of the counted drop rules when it was read, as {@link
 *     Nftables#droppedPackets()}: a pass that read the table needs no second listing for them
 */
public record LiveTable(
    boolean exists,
    String fingerprint,
    String structure,
    Map<String, Set<String>> elements,
    Map<String, Long> droppedPackets) {
  public static final LiveTable ABSENT = new LiveTable(false, null, "", Map.of(), Map.of());

  public LiveTable {
    Map<String, Set<String>> copy = new TreeMap<>();
    elements.forEach(
        (k, v) -> copy.put(k, java.util.Collections.unmodifiableSet(new TreeSet<>(v))));
    elements = java.util.Collections.unmodifiableMap(copy);
    droppedPackets = java.util.Collections.unmodifiableMap(new TreeMap<>(droppedPackets));
  }

  /** Whether both hold the same thing (fingerprints aside). */
  public boolean sameContent(LiveTable other) {
    return exists == other.exists
        && structure.equals(other.structure)
        && elements.equals(other.elements);
  }

  /**
   * Whether both have the same structure and the same elements in every set that is not one of
   * {@code plainSets} (those the agent reconciles element by element).
   */
  public boolean sameStructure(LiveTable other, Set<String> plainSets) {
    if (exists != other.exists || !structure.equals(other.structure)) {
      return false;
    }
    for (String set : union(elements.keySet(), other.elements.keySet())) {
      if (!plainSets.contains(set)
          && !elements
              .getOrDefault(set, Set.of())
              .equals(other.elements.getOrDefault(set, Set.of()))) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * The element changes that make this table's plain sets hold what {@code desired} lists; empty
   * when they already do. Sets absent here are treated as empty.
   */
  public NftDelta deltaTo(NftTable desired) {
    Map<String, java.util.List<String>> added = new TreeMap<>();
    Map<String, java.util.List<String>> removed = new TreeMap<>();
    for (NftSet s : desired.sets()) {
      if (s.interval()) {
        continue;
      }
      Set<String> live = elements.getOrDefault(s.name(), Set.of());
      Set<String> want = new java.util.HashSet<>(s.elements());
      java.util.List<String> plus = s.elements().stream().filter(e -> !live.contains(e)).toList();
      java.util.List<String> minus = live.stream().filter(e -> !want.contains(e)).toList();
      if (!plus.isEmpty()) {
        added.put(s.name(), plus);
      }
      if (!minus.isEmpty()) {
        removed.put(s.name(), minus);
      }
    }
    return new NftDelta(added, removed);
  }

  /**
   * This table after {@code delta}: what a read would show (the counters as this read had them: an
   * element update does not reset them, and they are not known without reading).
   */
  public LiveTable after(NftDelta delta) {
    Map<String, Set<String>> next = new TreeMap<>();
    elements.forEach((k, v) -> next.put(k, new TreeSet<>(v)));
    delta.removed().forEach((set, gone) -> edit(next, set).removeAll(gone));
    delta.added().forEach((set, added) -> edit(next, set).addAll(added));
    return new LiveTable(exists, fingerprint, structure, next, droppedPackets);
  }

  private static Collection<String> edit(Map<String, Set<String>> sets, String set) {
    return sets.computeIfAbsent(set, k -> new TreeSet<>());
  }
}
