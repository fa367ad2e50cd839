package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.DatapathStats;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The datapath's counters; drops are counted by reason. Safe from any thread. */
final class Counters {
  final LongAdder rxPackets = new LongAdder();
  final LongAdder rxBytes = new LongAdder();
  final LongAdder txPackets = new LongAdder();
  final LongAdder txBytes = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> drops = new ConcurrentHashMap<>();

  void drop(String reason) {
    LongAdder adder = drops.get(reason);
    if (adder == null) {
      adder = drops.computeIfAbsent(reason, r -> new LongAdder());
    }
    adder.increment();
  }

  Map<String, Long> drops() {
    Map<String, Long> out = new TreeMap<>();
    drops.forEach((reason, count) -> out.put(reason, count.sum()));
    return out;
  }

  /** With the device's own drops (e.g. malformed TUN super-packets) merged in. */
  DatapathStats snapshot(Instant lastHandshake, String endpoint, Map<String, Long> deviceDrops) {
    Map<String, Long> all = drops();
    deviceDrops.forEach((reason, count) -> all.merge(reason, count, Long::sum));
    return new DatapathStats(
        rxPackets.sum(),
        rxBytes.sum(),
        txPackets.sum(),
        txBytes.sum(),
        Map.copyOf(all),
        lastHandshake,
        endpoint);
  }
}
