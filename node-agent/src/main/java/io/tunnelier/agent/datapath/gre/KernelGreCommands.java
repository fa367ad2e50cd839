package io.tunnelier.agent.datapath.gre;

import java.util.ArrayList;
import java.util.List;

/**
 * The iproute2 command lines (argv, {@code ip} first) for a kernel GRE tunnel, as pure functions of
 * its settings: {@code ip link add NAME type gre remote R local L key K [seq] [csum]}, and for
 * GRE-in-UDP the same device with FOU encapsulation ({@code encap fou}, RFC 8086's layout: UDP
 * straight followed by the GRE header) plus the FOU receive port ({@code ip fou add port P ipproto
 * 47}).
 */
public final class KernelGreCommands {
  private KernelGreCommands() {}

  /** {@code ip fou add}: lets the kernel take GRE-in-UDP on the local port. */
  public static List<String> fouAdd(int port) {
    return List.of("ip", "fou", "add", "port", String.valueOf(port), "ipproto", "47");
  }

  public static List<String> fouDelete(int port) {
    return List.of("ip", "fou", "del", "port", String.valueOf(port));
  }

  /** The link, MTU and up commands, in order. */
  public static List<List<String>> create(GreSettings s, int mtu) {
    if (s.peer() == null) {
      throw new IllegalArgumentException(
          "peer: a kernel gre device needs the peer's address (learning it is userspace-only)");
    }
    List<String> link =
        new ArrayList<>(
            List.of(
                "ip",
                "link",
                "add",
                s.deviceName(),
                "type",
                "gre",
                "remote",
                s.peer().inetAddress().getHostAddress(),
                "local",
                s.local().inetAddress().isAnyLocalAddress()
                    ? "any"
                    : s.local().inetAddress().getHostAddress(),
                "ttl",
                "64"));
    if (s.key() != GreTunnel.NO_KEY) {
      link.addAll(List.of("key", String.valueOf(s.key())));
    }
    if (s.sequence()) {
      link.add("seq");
    }
    if (s.checksum()) {
      link.add("csum");
    }
    if (s.udp()) {
      link.addAll(
          List.of(
              "encap", "fou",
              "encap-sport", String.valueOf(s.local().port()),
              "encap-dport", String.valueOf(s.peer().port())));
    }
    return List.of(
        link,
        List.of("ip", "link", "set", "dev", s.deviceName(), "mtu", String.valueOf(mtu)),
        List.of("ip", "link", "set", "dev", s.deviceName(), "up"));
  }

  /**
   * A throwaway gre link that only a kernel with ip_gre can create (documentation addresses; the
   * probe deletes it again).
   */
  public static List<String> probe(String deviceName) {
    return List.of(
        "ip",
        "link",
        "add",
        deviceName,
        "type",
        "gre",
        "remote",
        "192.0.2.254",
        "local",
        "192.0.2.253",
        "key",
        "1");
  }

  public static List<String> delete(String deviceName) {
    return List.of("ip", "link", "del", "dev", deviceName);
  }

  /** {@code ip -j -s link show dev NAME}: counters as JSON. */
  public static List<String> statistics(String deviceName) {
    return List.of("ip", "-j", "-s", "link", "show", "dev", deviceName);
  }
}
