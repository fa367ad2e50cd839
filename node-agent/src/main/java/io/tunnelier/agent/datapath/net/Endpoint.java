package io.tunnelier.agent.datapath.net;

import io.tunnelier.api.net.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An underlay address and port (IPv4 or IPv6), immutable, with its kernel {@code sockaddr_in} /
 * {@code sockaddr_in6} encoding. The receive path compares a packet's source with {@link
 * #matches(ByteBuffer, int, boolean)} straight on the kernel's sockaddr, so nothing is allocated
 * per packet; a new Endpoint is made only when a peer is learned or roams.
 */
public final class Endpoint {
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;

  /** Room for either sockaddr in a native buffer (sockaddr_in6 is 28 bytes). */
  public static final int SOCKADDR_SIZE = 32;

  private static final int SOCKADDR_IN_SIZE = 16;
  private static final int SOCKADDR_IN6_SIZE = 28;

  private final byte[] address;
  private final int port;

  private Endpoint(byte[] address, int port) {
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("address must be 4 or 16 bytes");
    }
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.address = address.clone();
    this.port = port;
  }

  public static Endpoint of(InetSocketAddress socketAddress) {
    if (socketAddress.isUnresolved()) {
      throw new IllegalArgumentException("unresolved address: " + socketAddress);
    }
    return new Endpoint(socketAddress.getAddress().getAddress(), socketAddress.getPort());
  }

  public static Endpoint of(InetAddress address, int port) {
    return new Endpoint(address.getAddress(), port);
  }

  /** An IPv4 endpoint from the address as a big-endian int. */
  public static Endpoint ipv4(int address, int port) {
    return new Endpoint(
        new byte[] {
          (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
        },
        port);
  }

  /**
   * Reads a kernel sockaddr; {@code buffer} must be in native byte order (sa_family is a host-order
   * short, the port and address are in network order). Null for other families.
   */
  public static Endpoint fromSockaddr(ByteBuffer buffer, int offset) {
    int family = buffer.getShort(offset) & 0xFFFF;
    int port = ((buffer.get(offset + 2) & 0xFF) << 8) | (buffer.get(offset + 3) & 0xFF);
    if (family == AF_INET) {
      byte[] a = new byte[4];
      for (int i = 0; i < 4; i++) {
        a[i] = buffer.get(offset + 4 + i);
      }
      return new Endpoint(a, port);
    }
    if (family == AF_INET6) {
      byte[] a = new byte[16];
      for (int i = 0; i < 16; i++) {
        a[i] = buffer.get(offset + 8 + i);
      }
      return new Endpoint(a, port);
    }
    return null;
  }

  public boolean isIpv4() {
    return address.length == 4;
  }

  public int family() {
    return isIpv4() ? AF_INET : AF_INET6;
  }

  public int port() {
    return port;
  }

  /** The IPv4 address as a big-endian int; only for IPv4 endpoints. */
  public int ipv4Address() {
    if (!isIpv4()) {
      throw new IllegalStateException("not IPv4: " + this);
    }
    return ((address[0] & 0xFF) << 24)
        | ((address[1] & 0xFF) << 16)
        | ((address[2] & 0xFF) << 8)
        | (address[3] & 0xFF);
  }

  public InetAddress inetAddress() {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  public Endpoint withPort(int newPort) {
    return new Endpoint(address, newPort);
  }

  /** Writes the kernel sockaddr for this endpoint; returns its length (socklen_t). */
  public int writeSockaddr(ByteBuffer buffer, int offset) {
    short family = (short) family();
    buffer.putShort(offset, family);
    // sin_port / sin6_port: network byte order in memory.
    buffer.put(offset + 2, (byte) (port >>> 8));
    buffer.put(offset + 3, (byte) port);
    if (isIpv4()) {
      for (int i = 0; i < 4; i++) {
        buffer.put(offset + 4 + i, address[i]);
      }
      buffer.putLong(offset + 8, 0L);
      return SOCKADDR_IN_SIZE;
    }
    buffer.putInt(offset + 4, 0); // flowinfo
    for (int i = 0; i < 16; i++) {
      buffer.put(offset + 8 + i, address[i]);
    }
    buffer.putInt(offset + 24, 0); // scope id
    return SOCKADDR_IN6_SIZE;
  }

  /**
   * Whether the kernel sockaddr at {@code offset} is this endpoint (port too, when {@code
   * withPort}).
   */
  public boolean matches(ByteBuffer buffer, int offset, boolean withPort) {
    int family = buffer.getShort(offset) & 0xFFFF;
    if (family != family()) {
      return false;
    }
    if (withPort
        && (((buffer.get(offset + 2) & 0xFF) << 8) | (buffer.get(offset + 3) & 0xFF)) != port) {
      return false;
    }
    int base = isIpv4() ? offset + 4 : offset + 8;
    for (int i = 0; i < address.length; i++) {
      if (buffer.get(base + i) != address[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Endpoint e && e.port == port && Arrays.equals(e.address, address);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(address) * 31 + port;
  }

  @Override
  public String toString() {
    // RFC 5952's form, as the user wrote it in spec.peer.endpoint: 2001:db8::10, not 0:0:0.
    String host = Cidr.format(address);
    String shown = address.length == 16 ? "[" + host + "]" : host;
    // Raw GRE has no ports: its peer is shown as the API takes it (spec.peer.endpoint), no ":0".
    return port == 0 ? shown : shown + ":" + port;
  }
}
