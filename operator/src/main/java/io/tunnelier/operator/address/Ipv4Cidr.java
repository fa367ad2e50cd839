package io.tunnelier.operator.address;

/**
 * An IPv4 address with a prefix length, e.g. {@code 100.96.0.2/31}. The address may have host bits
 * set (it is an interface address, not only a network).
 *
 * @param address the address as an unsigned 32-bit number
 * @param prefixLength 0..32
 */
public record Ipv4Cidr(long address, int prefixLength) {
  public Ipv4Cidr {
    if (address < 0 || address > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("not an IPv4 address: " + address);
    }
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length must be 0..32: " + prefixLength);
    }
  }

  /** Parses {@code a.b.c.d/n}; throws IllegalArgumentException with the text on any error. */
  public static Ipv4Cidr parse(String text) {
    String[] parts = text == null ? new String[0] : text.trim().split("/", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an IPv4 address with prefix length, such as 100.96.0.2/31");
    }
    try {
      return new Ipv4Cidr(parseAddress(parts[0]), Integer.parseInt(parts[1]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an IPv4 address with prefix length, such as 100.96.0.2/31", e);
    }
  }

  /**
   * Parses a pool inner addresses are taken from as /31 pairs: its network, with room for at least
   * two pairs (a /30 or shorter).
   *
   * @param setting the configuration key, named in the message
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Ipv4Cidr parsePool(String setting, String text) {
    Ipv4Cidr parsed;
    try {
      parsed = parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
    }
    if (parsed.prefixLength() > 30) {
      throw new IllegalArgumentException(
          setting + " " + text + " is too small: use at most a /30, e.g. 100.96.0.0/16");
    }
    return new Ipv4Cidr(parsed.network(), parsed.prefixLength());
  }

  static long parseAddress(String text) {
    String[] octets = text.split("\\.", -1);
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    long value = 0;
    for (String octet : octets) {
      if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      int n = Integer.parseInt(octet);
      if (n > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      value = (value << 8) | n;
    }
    return value;
  }

  static String formatAddress(long address) {
    return ((address >> 24) & 0xFF)
        + "."
        + ((address >> 16) & 0xFF)
        + "."
        + ((address >> 8) & 0xFF)
        + "."
        + (address & 0xFF);
  }

  /** The netmask as a number. */
  public long mask() {
    return prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
  }

  /** The first address of the network. */
  public long network() {
    return address & mask();
  }

  /** How many addresses the network holds. */
  public long size() {
    return 1L << (32 - prefixLength);
  }

  public boolean contains(long other) {
    return (other & mask()) == network();
  }

  /** Whether every address of {@code other}'s network is in this network. */
  public boolean contains(Ipv4Cidr other) {
    return other.prefixLength >= prefixLength && contains(other.network());
  }

  /** Whether the two networks share an address (one contains the other's network). */
  public boolean overlaps(Ipv4Cidr other) {
    return contains(other.network()) || other.contains(network());
  }

  /** The address alone, e.g. {@code 100.96.0.2}. */
  public String addressText() {
    return formatAddress(address);
  }

  @Override
  public String toString() {
    return formatAddress(address) + "/" + prefixLength;
  }
}
