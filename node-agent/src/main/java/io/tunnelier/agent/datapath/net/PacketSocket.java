package io.tunnelier.agent.datapath.net;

import java.io.IOException;

/**
 * A datagram socket that moves whole {@link PacketBatch}es: one {@code recvmmsg}/{@code sendmmsg}
 * per batch, with UDP GRO/GSO where the kernel has them. Protocol-neutral: GRE over raw IP,
 * GRE-in-UDP and WireGuard all sit on it. One thread may receive while others send: sends are
 * serialised, as a datapath sends from several threads (data, handshake answers, timers) and one
 * send's message vector must not be rebuilt under another's {@code sendmmsg}.
 */
public interface PacketSocket extends AutoCloseable {
  /**
   * Blocks until at least one packet arrives, then fills {@code batch} from slot 0 with as many as
   * are queued (up to its capacity). Each packet is the transport payload (the IPv4 header of a raw
   * socket is stripped) placed after the batch's headroom, with its source recorded. A packet cut
   * short by a too-small slot is reported with length 0, to be dropped as truncated.
   *
   * @return the number of packets, or -1 once the socket is closed
   */
  int receive(PacketBatch batch) throws IOException;

  /**
   * Sends packets {@code 0 .. batch.count()-1}, each to its {@link PacketBatch#destination(int)}. A
   * packet the kernel refuses (no route, filtered, too big) is skipped, not retried.
   *
   * @return the number of packets the kernel accepted, or -1 once the socket is closed
   */
  int send(PacketBatch batch) throws IOException;

  /** The bound local address and port (port 0 for raw sockets). */
  Endpoint localEndpoint();

  /**
   * Activity counters of the implementation for diagnosis and benchmarks (e.g. system calls and
   * packets per call, to see offloads at work); may be empty. Read racily: approximate.
   */
  default java.util.Map<String, Long> counters() {
    return java.util.Map.of();
  }

  /** Wakes a blocked {@link #receive} (it returns -1) and releases the socket. Idempotent. */
  @Override
  void close();
}
