package io.tunnelier.agent.datapath.tun;

import java.io.IOException;

/**
 * Waits until any of several TUN devices has packets queued: lets one thread serve many tunnels
 * instead of one blocked thread per device. {@link PollTunWaiter} is the real one ({@code
 * poll(2)}); unit tests use an in-memory fake.
 *
 * <p>One thread calls {@link #await}; {@link #wake} and {@link #close} may be called from any.
 */
public interface TunWaiter extends AutoCloseable {
  /**
   * Blocks until one of {@code devices} may have packets queued (or was closed), until {@link
   * #wake}, or until {@code timeoutMillis} passed (-1: no limit). Readiness is a hint: a read may
   * still find nothing.
   *
   * @param readable set, per index of {@code devices}, to whether that device may be read; at least
   *     as long as {@code devices}
   * @return how many devices may be read (0 on a wake or timeout), or -1 once closed
   */
  int await(TunDevice[] devices, boolean[] readable, int timeoutMillis) throws IOException;

  /** Makes a current or the next {@link #await} return, e.g. because the devices changed. */
  void wake();

  /** Ends waiting for good: a current or later {@link #await} returns -1. Idempotent. */
  @Override
  void close();
}
