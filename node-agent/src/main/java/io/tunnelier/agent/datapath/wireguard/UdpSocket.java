package io.tunnelier.agent.datapath.wireguard;

import java.io.IOException;
import java.net.InetSocketAddress;

/** The underlay socket the datapath sends WireGuard messages through. */
public interface UdpSocket extends AutoCloseable {
  /**
   * Blocks for one datagram, copied to {@code buf[offset..]}; returns its sender, or null once the
   * socket is closed. {@link #lastLength()} gives its length.
   */
  InetSocketAddress receive(byte[] buf, int offset, int maxLength) throws IOException;

  /** Length of the datagram the last {@link #receive} returned (receive is single-threaded). */
  int lastLength();

  void send(byte[] buf, int offset, int length, InetSocketAddress to) throws IOException;

  /** The port actually bound (for listen port 0). */
  int localPort();

  @Override
  void close();
}
