package io.tunnelier.agent.datapath.tun;

import io.tunnelier.agent.datapath.net.PacketBatch;
import java.io.IOException;

/**
 * A layer-3 tunnel device (Linux TUN, {@code IFF_TUN | IFF_NO_PI}): the kernel routes IP packets
 * into it and takes IP packets from it. Moves whole {@link PacketBatch}es of plain IPv4/IPv6
 * packets; offloads (TSO super-packets, coalesced writes) stay inside the implementation, so
 * callers (GRE, WireGuard) only ever see packets that fit the MTU on reads.
 *
 * <p>One thread reads; {@link #write} may be called from several threads.
 */
public interface TunDevice extends AutoCloseable {
  /** The interface name, e.g. {@code tnl-1a2b3c4d}. */
  String name();

  /** The MTU currently set on the device. */
  int mtu();

  /**
   * Blocks until at least one packet is available, then fills {@code batch} from slot 0 (after its
   * headroom) with what is queued, up to its capacity.
   *
   * @return the number of packets, or -1 once the device is closed
   */
  int read(PacketBatch batch) throws IOException;

  /**
   * Fills {@code batch} like {@link #read} with what is queued now, without waiting: for a loop
   * that serves many devices and learns from a {@link TunWaiter} which of them have packets.
   *
   * @return the number of packets (0 when none is queued), or -1 once the device is closed
   */
  int readQueued(PacketBatch batch) throws IOException;

  /**
   * Hands packets {@code 0 .. batch.count()-1} to the kernel, skipping those of length 0 (dropped
   * by the caller). May rewrite the headers of packets in the batch (coalescing).
   *
   * @return the number of packets the kernel accepted, or -1 once the device is closed
   */
  int write(PacketBatch batch) throws IOException;

  /** Packets the device itself dropped, by reason (e.g. malformed super-packets); may be empty. */
  default java.util.Map<String, Long> drops() {
    return java.util.Map.of();
  }

  /**
   * Activity counters of the implementation for diagnosis and benchmarks (e.g. system calls and
   * packets per call, to see offloads at work); may be empty. Read racily: approximate.
   */
  default java.util.Map<String, Long> counters() {
    return java.util.Map.of();
  }

  /** Wakes a blocked {@link #read} (it returns -1) and removes the device. Idempotent. */
  @Override
  void close();
}
