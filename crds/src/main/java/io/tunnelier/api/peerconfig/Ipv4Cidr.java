package io.tunnelier.api.peerconfig;

import java.util.regex.Pattern;

/**
 * An IPv4 address with a prefix length, such as {@code 100.96.0.2/31}; a bare address parses as
 * {@code /32}. Parsing is strict (four decimal octets, no leading zeros beyond "0", prefix 0..32)
 * and never resolves names, so it is safe on untrusted input.
 */
public record Ipv4Cidr(int address, int prefix) implements Comparable<Ipv4Cidr> {
  private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

  public Ipv4Cidr {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix length must be 0..32, got " + prefix);
    }
  }

  /** Parses {@code a.b.c.d/p} or {@code a.b.c.d}; throws IllegalArgumentException saying why. */
  public static Ipv4Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty");
    }
    String s = text.strip();
    int prefix = 32;
    int slash = s.indexOf('/');
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (!p.matches("[0-9]{1,2}") || Integer.parseInt(p) > 32) {
        throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
      }
      prefix = Integer.parseInt(p);
      s = s.substring(0, slash);
    }
    return new Ipv4Cidr(parseAddress(s, text), prefix);
  }

  /** Parses a plain dotted-quad address. */
  public static int parseAddress(String s) {
    return parseAddress(s, s);
  }

  private static int parseAddress(String s, String original) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("'" + original + "' is not an IPv4 address");
    }
    int value = 0;
    for (String part : parts) {
      if (!OCTET.matcher(part).matches() || Integer.parseInt(part) > 255) {
        throw new IllegalArgumentException("'" + original + "' is not an IPv4 address");
      }
      value = (value << 8) | Integer.parseInt(part);
    }
    return value;
  }

  public static Ipv4Cidr host(int address) {
    return new Ipv4Cidr(address, 32);
  }

  public int mask() {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** The same prefix with the host bits cleared. */
  public Ipv4Cidr network() {
    return new Ipv4Cidr(address & mask(), prefix);
  }

  /** Whether no host bits are set (a route destination, not an interface address). */
  public boolean isNetwork() {
    return (address & ~mask()) == 0;
  }

  public boolean contains(int other) {
    return (other & mask()) == (address & mask());
  }

  public boolean contains(Ipv4Cidr other) {
    return other.prefix >= prefix && contains(other.address);
  }

  /** The address alone, dotted quad. */
  public String ip() {
    return format(address);
  }

  public static String format(int address) {
    return ((address >>> 24) & 0xFF)
        + "."
        + ((address >>> 16) & 0xFF)
        + "."
        + ((address >>> 8) & 0xFF)
        + "."
        + (address & 0xFF);
  }

  @Override
  public int compareTo(Ipv4Cidr o) {
    int c = Integer.compareUnsigned(address, o.address);
    return c != 0 ? c : Integer.compare(prefix, o.prefix);
  }

  @Override
  public String toString() {
    return ip() + "/" + prefix;
  }
}
