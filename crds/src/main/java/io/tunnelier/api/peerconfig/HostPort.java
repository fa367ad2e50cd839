package io.tunnelier.api.peerconfig;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.net.IpFamily;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code host[:port]} as the Tunnel's {@code peer.endpoint} and the standalone config's {@code
 * listen}/{@code peerEndpoint} write it: host is an IPv4 address, an [IPv6] address in brackets, a
 * DNS name, or empty (any address, for {@code listen} only). Port 0 means "not given".
 */
public record HostPort(String host, int port) {
  private static final Pattern SHAPE =
      Pattern.compile(
          "^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?)?(:([0-9]{1,5}))?$");

  /** Parses; throws IllegalArgumentException with a reason that fits after the field name. */
  public static HostPort parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    Matcher m = SHAPE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "must be host:port, where host is an IPv4 address, an [IPv6] address in brackets or a"
              + " DNS name, such as 203.0.113.10:51820");
    }
    String host = m.group(1) == null ? "" : m.group(1);
    int port = 0;
    if (m.group(4) != null) {
      port = Integer.parseInt(m.group(4));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("has an invalid port: it must be 1..65535");
      }
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.matches("[0-9.]+")) {
      try {
        Cidr.parseAddress(host);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("has an invalid IPv4 address");
      }
    }
    return new HostPort(host, port);
  }

  /**
   * The family of the host: IPv6 for an [IPv6] literal (and {@code ::}), else IPv4 (an IPv4
   * address, or a DNS name, which the agent resolves preferring IPv4).
   */
  public IpFamily family() {
    return host.contains(":") ? IpFamily.IPV6 : IpFamily.IPV4;
  }

  public boolean hasPort() {
    return port != 0;
  }

  /**
   * Where the far end of this endpoint listens: every address of its family, on its port ({@code
   * 0.0.0.0:51820}, {@code [::]:51820}), as the operator renders {@code listen} into peer.yaml.
   */
  public HostPort anyAddress() {
    return new HostPort(family() == IpFamily.IPV6 ? "::" : "0.0.0.0", port);
  }

  @Override
  public String toString() {
    String h = family() == IpFamily.IPV6 ? "[" + host + "]" : host;
    return port == 0 ? h : h + ":" + port;
  }
}
