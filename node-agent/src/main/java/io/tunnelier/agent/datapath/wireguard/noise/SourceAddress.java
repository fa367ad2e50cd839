package io.tunnelier.agent.datapath.wireguard.noise;

import java.net.InetSocketAddress;

/**
 * Encodes a UDP source as the bytes a cookie is bound to: the IP address (4 or 16 bytes) followed
 * by the port, big-endian, as wireguard-go does.
 */
public final class SourceAddress {
  public static final int MAX_SIZE = 18;

  private SourceAddress() {}

  /** Writes the encoding of {@code address} into {@code out}; returns its length. */
  public static int encode(InetSocketAddress address, byte[] out) {
    byte[] ip = address.getAddress().getAddress();
    System.arraycopy(ip, 0, out, 0, ip.length);
    out[ip.length] = (byte) (address.getPort() >>> 8);
    out[ip.length + 1] = (byte) address.getPort();
    return ip.length + 2;
  }
}
