package io.tunnelier.agent.datapath.wireguard;

import java.io.IOException;

/**
 * Where inner packets come from and go to: the TUN device in production. Reads leave {@link
 * Output#HEADROOM} free in front so the datapath encrypts in place.
 */
public interface PacketDevice extends AutoCloseable {
  /**
   * Blocks until an inner packet arrives and copies it to {@code buf[offset..]}; returns its
   * length, or -1 once the device is closed.
   */
  int read(byte[] buf, int offset, int maxLength) throws IOException;

  /** Writes one inner packet toward the local stack. */
  void write(byte[] buf, int offset, int length) throws IOException;

  @Override
  void close();
}
