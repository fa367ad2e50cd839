package io.tunnelier.agent.lab;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The only addresses a lab may use: the documentation ranges (RFC 5737) for underlay and "public"
 * hosts, and the shared address space 100.64.0.0/10 (RFC 6598) for pods, tunnel inner addresses and
 * services. Anything else is refused before it reaches the kernel.
 */
public final class LabAddresses {
  private static final String[][] ALLOWED = {
    {"192.0.2.0", "24"}, {"198.51.100.0", "24"}, {"203.0.113.0", "24"}, {"100.64.0.0", "10"}
  };

  private LabAddresses() {}

  /** Throws unless {@code address} (an IP, or IP/prefix) lies inside one lab range. */
  public static String check(String address) {
    String ip = address.contains("/") ? address.substring(0, address.indexOf('/')) : address;
    int prefix =
        address.contains("/") ? Integer.parseInt(address.substring(address.indexOf('/') + 1)) : 32;
    long value = toLong(ip);
    for (String[] range : ALLOWED) {
      int rangePrefix = Integer.parseInt(range[1]);
      long mask = rangePrefix == 0 ? 0 : (0xFFFFFFFFL << (32 - rangePrefix)) & 0xFFFFFFFFL;
      if (prefix >= rangePrefix && (value & mask) == toLong(range[0])) {
        return address;
      }
    }
    throw new IllegalArgumentException(
        address
            + " is outside the lab's ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,"
            + " 100.64.0.0/10)");
  }

  private static long toLong(String ip) {
    try {
      byte[] b = InetAddress.getByName(ip).getAddress();
      if (b.length != 4) {
        throw new IllegalArgumentException("lab addresses are IPv4: " + ip);
      }
      return ((b[0] & 0xFFL) << 24)
          | ((b[1] & 0xFFL) << 16)
          | ((b[2] & 0xFFL) << 8)
          | (b[3] & 0xFFL);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + ip, e);
    }
  }
}
