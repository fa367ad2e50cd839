package io.tunnelier.agent.plan;

import io.tunnelier.agent.kernel.Ownership;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assigns identities to a node's tunnels so that no two share a routing table slot, a device-name
 * suffix (which also names the nftables sets) or a VXLAN network identifier: a shared name or VNI
 * makes the kernel refuse the second device (EEXIST), and a shared table mixes two tunnels' routes.
 * Hashes collide rarely (VNIs, 24 bits, about once in 30 clusters with 1000 Tunnels), so the rule
 * is simple and deterministic: keys are taken in the given order, and a later key whose slot,
 * suffix or VNI is taken moves to the next free one. Callers pass the oldest first, so an existing
 * tunnel keeps its identity when a new one collides with it, and every node, given the same
 * Tunnels, arrives at the same identities.
 *
 * <p>MACs need no check: each tunnel's MACs live on its own VXLAN segment (its own VNI).
 */
public final class TunnelIds {
  private static final int VNI_MAX = (1 << 24) - 1;

  private TunnelIds() {}

  /** {@code keys} oldest first (see {@link ClusterPlanner}); duplicates are ignored. */
  public static Map<String, TunnelId> assign(List<String> keys) {
    Map<String, TunnelId> out = new LinkedHashMap<>();
    Set<Integer> tables = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    Set<Integer> vnis = new HashSet<>();
    for (String key : keys) {
      if (out.containsKey(key)) {
        continue;
      }
      TunnelId id = TunnelId.of(key);
      int table = id.table();
      while (tables.contains(table)) {
        table =
            table == Ownership.TABLE_MIN + Ownership.TABLE_SLOTS - 1
                ? Ownership.TABLE_MIN
                : table + 1;
      }
      String hash = id.hash();
      for (int attempt = 1; hashes.contains(hash); attempt++) {
        hash = TunnelId.alternateHash(key, attempt);
      }
      int vni = id.vni();
      while (vnis.contains(vni)) {
        vni = vni == VNI_MAX ? 1 : vni + 1;
      }
      tables.add(table);
      hashes.add(hash);
      vnis.add(vni);
      out.put(key, id.withTable(table).withHash(hash).withVni(vni));
    }
    return out;
  }
}
