package io.tunnelier.agent.datapath.wireguard.noise;

/**
 * Encodes a UDP source as the bytes a cookie is bound to (whitepaper 5.4.7): the IP address (4 or
 * 16 bytes) followed by the port, big-endian, as wireguard-go does.
 */
public final class SourceAddress {
  public static final int MAX_SIZE = 18;

  private SourceAddress() {}

  /** Writes the encoding into {@code out}; returns its length. */
  public static int encode(byte[] ip, int port, byte[] out) {
    System.arraycopy(ip, 0, out, 0, ip.length);
    out[ip.length] = (byte) (port >>> 8);
    out[ip.length + 1] = (byte) port;
    return ip.length + 2;
  }
}
