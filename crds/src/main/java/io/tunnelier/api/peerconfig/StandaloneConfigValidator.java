package io.tunnelier.api.peerconfig;

import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.TunnelType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules a standalone config must follow; shared by the operator (before it renders the file)
 * and the agent (before it applies anything). Each problem starts with the field's path. Secret
 * values are never quoted.
 */
public final class StandaloneConfigValidator {
  private static final Pattern NAME =
      Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
  private static final Pattern IFNAME = Pattern.compile("^[^/\\s:]{1,15}$");

  private StandaloneConfigValidator() {}

  /** Every problem found; empty when the config is good. */
  public static List<String> validate(StandaloneConfig config) {
    List<String> problems = new ArrayList<>();
    if (!StandaloneConfig.API_VERSION.equals(config.getApiVersion())) {
      problems.add("apiVersion: must be " + StandaloneConfig.API_VERSION);
    }
    if (!StandaloneConfig.KIND.equals(config.getKind())) {
      problems.add("kind: must be " + StandaloneConfig.KIND);
    }
    List<StandaloneTunnel> tunnels = config.getTunnels();
    if (tunnels == null || tunnels.isEmpty()) {
      problems.add("tunnels: must list at least one tunnel");
      return problems;
    }
    Map<String, String> names = new HashMap<>();
    Map<String, String> listeners = new HashMap<>();
    Map<String, String> addresses = new HashMap<>();
    for (int i = 0; i < tunnels.size(); i++) {
      String at = "tunnels[" + i + "]";
      StandaloneTunnel t = tunnels.get(i);
      if (t == null) {
        problems.add(at + ": must not be empty");
        continue;
      }
      validate(at, t, problems);
      if (t.getName() != null) {
        String previous = names.putIfAbsent(t.getName(), at);
        if (previous != null) {
          problems.add(at + ".name: '" + t.getName() + "' is already used by " + previous);
        }
      }
      String listener = listenerKey(t);
      if (listener != null) {
        String previous = listeners.putIfAbsent(listener, at);
        if (previous != null) {
          problems.add(
              at
                  + ".listen: "
                  + previous
                  + " already listens there"
                  + (t.getEncapsulation() == Encapsulation.WIREGUARD
                      ? "; each WireGuard tunnel needs its own port"
                      : " with the same greKey"));
        }
      }
      if (t.getAddress() != null) {
        try {
          String ip = Cidr.parseIpv4(t.getAddress()).ip();
          String previous = addresses.putIfAbsent(ip, at);
          if (previous != null) {
            problems.add(at + ".address: " + ip + " is already used by " + previous);
          }
        } catch (IllegalArgumentException ignored) {
          // reported by validate()
        }
      }
    }
    return problems;
  }

  private static void validate(String at, StandaloneTunnel t, List<String> problems) {
    if (t.getName() == null || t.getName().isBlank()) {
      problems.add(at + ".name: required: <namespace>/<name> of the Tunnel it mirrors");
    } else if (!NAME.matcher(t.getName()).matches()) {
      problems.add(
          at + ".name: must be <namespace>/<name> of a Tunnel, such as scraping/egress-nyc");
    }
    if (t.getType() == null) {
      problems.add(at + ".type: required: Egress or SiteToSite");
    }
    Encapsulation encap = t.getEncapsulation();
    if (encap == null) {
      problems.add(at + ".encapsulation: required: WireGuard, GRE or GREoverUDP");
    }
    boolean wireGuard = encap == Encapsulation.WIREGUARD;
    boolean gre = encap == Encapsulation.GRE;

    if (t.getListen() == null || t.getListen().isBlank()) {
      if (!gre && encap != null) {
        problems.add(at + ".listen: required with " + encap + ": [address]:port, such as :51820");
      }
    } else {
      try {
        HostPort listen = HostPort.parse(t.getListen());
        if (gre && listen.hasPort()) {
          problems.add(at + ".listen: GRE has no port: give an address, or leave it empty");
        } else if (encap != null && !gre && !listen.hasPort()) {
          problems.add(at + ".listen: needs a port with " + encap + ", such as :51820");
        }
        if (!listen.host().isEmpty() && !isIpLiteral(listen.host())) {
          problems.add(at + ".listen: must be an IP address, not a name");
        }
      } catch (IllegalArgumentException e) {
        problems.add(at + ".listen: " + e.getMessage());
      }
    }
    if (t.getPeerEndpoint() != null && !t.getPeerEndpoint().isBlank()) {
      try {
        HostPort peer = HostPort.parse(t.getPeerEndpoint());
        if (peer.host().isEmpty()) {
          problems.add(at + ".peerEndpoint: needs a host");
        } else if (gre && peer.hasPort()) {
          problems.add(at + ".peerEndpoint: GRE has no port: give the host only");
        } else if (encap != null && !gre && !peer.hasPort()) {
          problems.add(at + ".peerEndpoint: needs a port (host:port) with " + encap);
        }
      } catch (IllegalArgumentException e) {
        problems.add(at + ".peerEndpoint: " + e.getMessage());
      }
    }

    if (wireGuard) {
      checkKey(at + ".privateKey", t.getPrivateKey(), true, problems);
      checkKey(at + ".peerPublicKey", t.getPeerPublicKey(), true, problems);
      if (t.getGreKey() != null) {
        problems.add(at + ".greKey: only used with encapsulation GRE or GREoverUDP");
      }
    } else if (encap != null) {
      if (t.getPrivateKey() != null) {
        problems.add(at + ".privateKey: only used with encapsulation WireGuard");
      }
      if (t.getPeerPublicKey() != null) {
        problems.add(at + ".peerPublicKey: only used with encapsulation WireGuard");
      }
    }
    if (t.getGreKey() != null && (t.getGreKey() < 0 || t.getGreKey() > 4294967295L)) {
      problems.add(at + ".greKey: must be 0..4294967295");
    }
    List<String> allowed = t.getAllowedSources();
    if (allowed != null && !allowed.isEmpty()) {
      if (wireGuard) {
        problems.add(
            at + ".allowedSources: only used with GRE or GREoverUDP (WireGuard authenticates)");
      }
      for (int a = 0; a < allowed.size(); a++) {
        try {
          Cidr.parse(allowed.get(a));
        } catch (IllegalArgumentException e) {
          problems.add(
              at
                  + ".allowedSources["
                  + a
                  + "]: must be an IPv4 or IPv6 address or CIDR such as 192.0.2.10, 192.0.2.0/24"
                  + " or 2001:db8::10");
        }
      }
    }
    if (t.getKeepaliveSeconds() != null
        && (t.getKeepaliveSeconds() < 0 || t.getKeepaliveSeconds() > 65535)) {
      problems.add(at + ".keepaliveSeconds: must be 0..65535 (0: off)");
    }

    Cidr address = interfaceAddress(at + ".address", t.getAddress(), problems);
    Cidr peerAddress = interfaceAddress(at + ".peerAddress", t.getPeerAddress(), problems);
    if (address != null && peerAddress != null) {
      if (address.host().equals(peerAddress.host())) {
        problems.add(at + ".peerAddress: must differ from address");
      } else if (!address.contains(peerAddress.host())) {
        problems.add(
            at + ".peerAddress: must be in the same subnet as address (" + address.network() + ")");
      }
    }
    checkIpv6Pair(at, t, problems);
    if (t.getMtu() != null && t.getMtu() != 0 && (t.getMtu() < 576 || t.getMtu() > 9000)) {
      problems.add(
          at
              + ".mtu: must be 0 (automatic: underlay MTU minus encapsulation overhead) or 576..9000");
    }
    List<String> routes = t.getRoutes();
    if (routes != null) {
      for (int r = 0; r < routes.size(); r++) {
        String field = at + ".routes[" + r + "]";
        try {
          Cidr cidr = Cidr.parse(routes.get(r));
          if (!routes.get(r).contains("/")) {
            problems.add(field + ": needs a prefix length, such as 100.64.0.0/16");
          } else if (!cidr.isNetwork()) {
            problems.add(
                field + ": must be a network CIDR (no host bits set), such as " + cidr.network());
          } else if (cidr.isIpv6() && t.getType() != TunnelType.SITE_TO_SITE) {
            // The VPS masquerades what it routes: egress routes nothing but its inner subnets.
            problems.add(field + ": IPv6 routes are for type SiteToSite");
          }
        } catch (IllegalArgumentException e) {
          problems.add(
              field + ": must be an IPv4 or IPv6 CIDR such as 100.64.0.0/16 or fd00:64::/48");
        }
      }
    }
    if (t.getMasqueradeInterface() != null) {
      if (!IFNAME.matcher(t.getMasqueradeInterface()).matches()) {
        problems.add(
            at + ".masqueradeInterface: must be a network interface name (1..15 characters)");
      } else if (t.getType() == TunnelType.SITE_TO_SITE) {
        problems.add(at + ".masqueradeInterface: only used with type Egress");
      }
    }
  }

  /** {@code address6} and {@code peerAddress6}: both or neither, the two ends of one IPv6 /127. */
  private static void checkIpv6Pair(String at, StandaloneTunnel t, List<String> problems) {
    boolean local = t.getAddress6() != null && !t.getAddress6().isBlank();
    boolean peer = t.getPeerAddress6() != null && !t.getPeerAddress6().isBlank();
    if (!local && !peer) {
      return;
    }
    if (local != peer) {
      problems.add(
          at + (local ? ".peerAddress6" : ".address6") + ": required with the other IPv6 address");
      return;
    }
    if (t.getType() != TunnelType.EGRESS) {
      problems.add(
          at + ".address6: only used with type Egress (site-to-site inner addresses are IPv4)");
      return;
    }
    Cidr a = ipv6Address(at + ".address6", t.getAddress6(), problems);
    Cidr p = ipv6Address(at + ".peerAddress6", t.getPeerAddress6(), problems);
    if (a != null && p != null && (a.host().equals(p.host()) || !a.contains(p.host()))) {
      problems.add(at + ".peerAddress6: must be the other address of address6's /127");
    }
  }

  private static Cidr ipv6Address(String field, String value, List<String> problems) {
    try {
      Cidr cidr = Cidr.parse(value);
      if (cidr.isIpv6() && value.contains("/") && cidr.prefix() == 127) {
        return cidr;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    problems.add(
        field + ": must be an IPv6 address with prefix /127, such as fd00:7475:6e6e::6460:3/127");
    return null;
  }

  private static Cidr interfaceAddress(String field, String value, List<String> problems) {
    if (value == null || value.isBlank()) {
      problems.add(field + ": required: an IPv4 address with prefix length, such as 100.96.0.3/31");
      return null;
    }
    try {
      Cidr cidr = Cidr.parseIpv4(value);
      if (!value.contains("/")) {
        problems.add(field + ": needs a prefix length, such as " + value + "/31");
        return null;
      }
      if (cidr.prefix() < 31 && (cidr.isNetwork() || cidr.equals(cidr.lastAddress()))) {
        problems.add(field + ": is the network or broadcast address of " + cidr.network());
        return null;
      }
      return cidr;
    } catch (IllegalArgumentException e) {
      problems.add(field + ": must be an IPv4 address with prefix length, such as 100.96.0.3/31");
      return null;
    }
  }

  private static void checkKey(
      String field, String value, boolean required, List<String> problems) {
    if (value == null || value.isBlank()) {
      if (required) {
        problems.add(field + ": required with encapsulation WireGuard (32 bytes, base64)");
      }
      return;
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(value.strip());
    } catch (IllegalArgumentException e) {
      problems.add(field + ": is not valid base64 (a WireGuard key is 32 bytes in base64)");
      return;
    }
    if (raw.length != 32) {
      problems.add(
          field + ": must be 32 bytes in base64 (44 characters ending in '='), as wg prints it");
    }
  }

  private static boolean isIpLiteral(String host) {
    if (host.contains(":")) {
      return true;
    }
    try {
      Cidr.parseAddress(host);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Tunnels that would bind the same socket or demultiplexing key. */
  private static String listenerKey(StandaloneTunnel t) {
    if (t.getEncapsulation() == null) {
      return null;
    }
    String listen = t.getListen() == null ? "" : t.getListen().strip();
    int port;
    try {
      port = listen.isEmpty() ? 0 : HostPort.parse(listen).port();
    } catch (IllegalArgumentException e) {
      return null;
    }
    return switch (t.getEncapsulation()) {
      case WIREGUARD -> "udp:" + port;
      case GRE_OVER_UDP -> "greudp:" + port + ":" + t.getGreKey();
      case GRE -> "gre:" + t.getGreKey();
    };
  }
}
