package io.tunnelier.agent.datapath.gre;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Packet, byte and drop counters of one tunnel (or of a shared socket, for drops that belong to no
 * tunnel). Packet loops add once per batch; {@link #snapshotDrops} may run on any thread.
 */
public final class GreCounters {
  private final AtomicLong rxPackets = new AtomicLong();
  private final AtomicLong rxBytes = new AtomicLong();
  private final AtomicLong txPackets = new AtomicLong();
  private final AtomicLong txBytes = new AtomicLong();
  private final AtomicLongArray drops = new AtomicLongArray(GreDrop.values().length);

  public void drop(GreDrop reason) {
    drops.incrementAndGet(reason.ordinal());
  }

  public void drop(GreDrop reason, long count) {
    if (count > 0) {
      drops.addAndGet(reason.ordinal(), count);
    }
  }

  /** Inner packets delivered to the device, and their bytes. */
  public void received(long packets, long bytes) {
    rxPackets.addAndGet(packets);
    rxBytes.addAndGet(bytes);
  }

  /** Inner packets handed to the kernel toward the peer, and their bytes. */
  public void sent(long packets, long bytes) {
    txPackets.addAndGet(packets);
    txBytes.addAndGet(bytes);
  }

  public long rxPackets() {
    return rxPackets.get();
  }

  public long rxBytes() {
    return rxBytes.get();
  }

  public long txPackets() {
    return txPackets.get();
  }

  public long txBytes() {
    return txBytes.get();
  }

  public long drops(GreDrop reason) {
    return drops.get(reason.ordinal());
  }

  /** Adds the non-zero drop counters to {@code into}, keyed by label. */
  public void snapshotDrops(Map<String, Long> into) {
    for (GreDrop d : GreDrop.values()) {
      long v = drops.get(d.ordinal());
      if (v > 0) {
        into.merge(d.label(), v, Long::sum);
      }
    }
  }

  public Map<String, Long> drops() {
    Map<String, Long> out = new TreeMap<>();
    snapshotDrops(out);
    return out;
  }
}
