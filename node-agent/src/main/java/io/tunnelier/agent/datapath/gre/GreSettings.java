package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.net.Endpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * A {@link DatapathConfig.Gre} checked and resolved into what the datapath uses. A bad field is
 * refused with an {@link IllegalArgumentException} whose message starts with the field's name.
 * Pure.
 *
 * @param local where to bind (any address when not configured; port 0 for raw GRE)
 * @param peer where to send and whom to accept; null to learn from the first valid packet
 * @param key RFC 2890 key, or {@link GreTunnel#NO_KEY}
 */
public record GreSettings(
    String deviceName,
    int mtu,
    boolean udp,
    Endpoint local,
    Endpoint peer,
    long key,
    boolean sequence,
    boolean checksum) {

  /** GRE-in-UDP's destination port (RFC 8086 3.1). */
  public static final int GRE_IN_UDP_PORT = 4754;

  private static final Pattern DEVICE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,15}");

  public static GreSettings of(DatapathConfig.Gre config) {
    if (config.deviceName() == null || !DEVICE_NAME.matcher(config.deviceName()).matches()) {
      throw new IllegalArgumentException(
          "deviceName: must be 1-15 characters of letters, digits, '.', '_' or '-', got '"
              + config.deviceName()
              + "'");
    }
    if (config.mtu() != 0 && (config.mtu() < 576 || config.mtu() > 65535)) {
      throw new IllegalArgumentException(
          "mtu: must be 0 (automatic) or 576..65535, got " + config.mtu());
    }
    long key = GreTunnel.NO_KEY;
    if (config.key() != null) {
      if (config.key() < 0 || config.key() > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("key: must be 0..4294967295, got " + config.key());
      }
      key = config.key();
    }
    int localPort = 0;
    if (config.udp()) {
      localPort = config.localPort() == 0 ? GRE_IN_UDP_PORT : config.localPort();
      if (localPort < 1 || localPort > 65535) {
        throw new IllegalArgumentException(
            "localPort: must be 1..65535, got " + config.localPort());
      }
    }
    Endpoint peer = null;
    if (config.peer() != null) {
      InetAddress address = resolved(config.peer(), "peer");
      int port =
          config.udp()
              ? (config.peer().getPort() == 0 ? GRE_IN_UDP_PORT : config.peer().getPort())
              : 0;
      peer = Endpoint.of(address, port);
    }
    Endpoint local;
    if (config.local() != null) {
      local = Endpoint.of(resolved(config.local(), "local"), localPort);
    } else if (peer != null && !peer.isIpv4()) {
      local = Endpoint.of(anyIpv6(), localPort);
    } else {
      local = Endpoint.ipv4(0, localPort);
    }
    if (peer != null && peer.isIpv4() != local.isIpv4()) {
      throw new IllegalArgumentException(
          "peer: address family differs from local (" + local + " vs " + peer + ")");
    }
    return new GreSettings(
        config.deviceName(),
        config.mtu(),
        config.udp(),
        local,
        peer,
        key,
        config.sequence(),
        config.checksum());
  }

  /** Encapsulation overhead in bytes. */
  public int overhead() {
    return GreOverhead.bytes(!local.isIpv4(), udp, key != GreTunnel.NO_KEY, sequence, checksum);
  }

  private static InetAddress resolved(InetSocketAddress address, String field) {
    if (address.isUnresolved() || address.getAddress() == null) {
      throw new IllegalArgumentException(field + ": not an IP address: " + address);
    }
    return address.getAddress();
  }

  private static InetAddress anyIpv6() {
    try {
      return InetAddress.getByAddress(new byte[16]);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
