package io.tunnelier.api.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address with a prefix length, such as {@code 100.96.0.2/31} or {@code
 * fd00:10::1/127}; a bare address parses as a host ({@code /32}, {@code /128}). The address may
 * have host bits set (an interface address); {@link #network()} clears them (a route destination).
 *
 * <p>The address is kept as two unsigned 64-bit halves; an IPv4 address is the low 32 bits of
 * {@code low}, {@code high} is 0.
 *
 * @param family IPv4 or IPv6
 * @param high the first 64 bits of an IPv6 address; 0 for IPv4
 * @param low the last 64 bits of an IPv6 address, or the IPv4 address
 * @param prefix 0..32 or 0..128
 */
public record Cidr(IpFamily family, long high, long low, int prefix) implements Comparable<Cidr> {
  private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
  private static final Pattern GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
  private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

  public Cidr {
    if (family == null) {
      throw new IllegalArgumentException("family must be given");
    }
    if (prefix < 0 || prefix > family.bits()) {
      throw new IllegalArgumentException(
          "prefix length must be 0.." + family.bits() + ", got " + prefix);
    }
    if (family == IpFamily.IPV4 && (high != 0 || (low >>> 32) != 0)) {
      throw new IllegalArgumentException("not an IPv4 address: " + Long.toUnsignedString(low));
    }
  }

  /** An IPv4 address (as 32 bits) with a prefix length. */
  public static Cidr ipv4(int address, int prefix) {
    return new Cidr(IpFamily.IPV4, 0, Integer.toUnsignedLong(address), prefix);
  }

  /** An IPv4 host, {@code /32}. */
  public static Cidr ipv4Host(int address) {
    return ipv4(address, 32);
  }

  /**
   * Parses {@code address/prefix} or a bare address (a host) of either family; throws
   * IllegalArgumentException with a reason that names the text.
   */
  public static Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty");
    }
    String s = text.strip();
    int slash = s.indexOf('/');
    Cidr address = parseAddress(slash < 0 ? s : s.substring(0, slash), text);
    if (slash < 0) {
      return address;
    }
    String p = s.substring(slash + 1);
    if (!PREFIX.matcher(p).matches() || Integer.parseInt(p) > address.family.bits()) {
      throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
    }
    return address.withPrefix(Integer.parseInt(p));
  }

  /** {@link #parse}, refusing IPv6: for the parts that carry IPv4 only. */
  public static Cidr parseIpv4(String text) {
    Cidr c = parse(text);
    if (c.family != IpFamily.IPV4) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
    }
    return c;
  }

  /** Parses a bare address of either family (no prefix) as a host. */
  public static Cidr parseAddress(String text) {
    if (text == null) {
      throw new IllegalArgumentException("empty");
    }
    return parseAddress(text.strip(), text);
  }

  private static Cidr parseAddress(String s, String original) {
    if (s.contains(":")) {
      return parseIpv6(s, original);
    }
    return ipv4Host(parseIpv4Bits(s, original));
  }

  private static int parseIpv4Bits(String s, String original) {
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

  /** RFC 4291 section 2.2 text forms: eight groups, one {@code ::}, an IPv4 tail; no zone. */
  private static Cidr parseIpv6(String s, String original) {
    IllegalArgumentException bad =
        new IllegalArgumentException("'" + original + "' is not an IPv6 address");
    int[] groups = new int[8];
    int tailStart = s.indexOf("::");
    if (tailStart >= 0 && s.indexOf("::", tailStart + 1) >= 0) {
      throw bad;
    }
    String head = tailStart < 0 ? s : s.substring(0, tailStart);
    String tail = tailStart < 0 ? "" : s.substring(tailStart + 2);
    if (tailStart >= 0 && head.contains(".")) {
      throw bad; // a dotted quad only ends an address
    }
    int[] headGroups = groups(head, bad);
    int[] tailGroups = groups(tail, bad);
    int count = headGroups.length + tailGroups.length;
    if (tailStart < 0 ? count != 8 : count > 7) {
      throw bad;
    }
    System.arraycopy(headGroups, 0, groups, 0, headGroups.length);
    System.arraycopy(tailGroups, 0, groups, 8 - tailGroups.length, tailGroups.length);
    long high = 0;
    long low = 0;
    for (int i = 0; i < 4; i++) {
      high = (high << 16) | groups[i];
      low = (low << 16) | groups[i + 4];
    }
    return new Cidr(IpFamily.IPV6, high, low, 128);
  }

  /** The 16-bit groups of one side of {@code ::}; a dotted quad last counts as two. */
  private static int[] groups(String side, IllegalArgumentException bad) {
    if (side.isEmpty()) {
      return new int[0];
    }
    String[] parts = side.split(":", -1);
    boolean ipv4Tail = parts[parts.length - 1].contains(".");
    int[] out = new int[parts.length + (ipv4Tail ? 1 : 0)];
    for (int i = 0; i < parts.length; i++) {
      if (ipv4Tail && i == parts.length - 1) {
        int v4;
        try {
          v4 = parseIpv4Bits(parts[i], parts[i]);
        } catch (IllegalArgumentException e) {
          throw bad;
        }
        out[i] = v4 >>> 16;
        out[i + 1] = v4 & 0xffff;
      } else if (GROUP.matcher(parts[i]).matches()) {
        out[i] = Integer.parseInt(parts[i], 16);
      } else {
        throw bad;
      }
    }
    return out;
  }

  public boolean isIpv4() {
    return family == IpFamily.IPV4;
  }

  public boolean isIpv6() {
    return family == IpFamily.IPV6;
  }

  /** The IPv4 address as 32 bits; for IPv4 only. */
  public int ipv4Bits() {
    if (!isIpv4()) {
      throw new IllegalStateException(this + " is not IPv4");
    }
    return (int) low;
  }

  /** The same address with another prefix length. */
  public Cidr withPrefix(int newPrefix) {
    return new Cidr(family, high, low, newPrefix);
  }

  /** The address alone as a host ({@code /32}, {@code /128}). */
  public Cidr host() {
    return withPrefix(family.bits());
  }

  public boolean isHost() {
    return prefix == family.bits();
  }

  /** The same prefix with the host bits cleared. */
  public Cidr network() {
    return new Cidr(family, high & highMask(), low & lowMask(), prefix);
  }

  /** The network's last address (IPv4's broadcast address), same prefix. */
  public Cidr lastAddress() {
    if (isIpv4()) {
      return new Cidr(family, 0, low | (~lowMask() & 0xFFFF_FFFFL), prefix);
    }
    return new Cidr(family, high | ~highMask(), low | ~lowMask(), prefix);
  }

  /** Whether no host bits are set (a route destination, not an interface address). */
  public boolean isNetwork() {
    return (high & ~highMask()) == 0 && (low & ~lowMask()) == 0;
  }

  /** Whether every address of {@code other}'s network is in this network (same family only). */
  public boolean contains(Cidr other) {
    return other.family == family
        && other.prefix >= prefix
        && (other.high & highMask()) == (high & highMask())
        && (other.low & lowMask()) == (low & lowMask());
  }

  /** Whether an IPv4 address (32 bits) is in this network; false for IPv6. Allocation free. */
  public boolean containsIpv4(int address) {
    return isIpv4() && ((Integer.toUnsignedLong(address) ^ low) & lowMask()) == 0;
  }

  /**
   * Whether an IPv6 address (its 128 bits as two longs, high first) is in this network; false for
   * IPv4. Allocation free.
   */
  public boolean containsIpv6(long addressHigh, long addressLow) {
    return family == IpFamily.IPV6
        && ((addressHigh ^ high) & highMask()) == 0
        && ((addressLow ^ low) & lowMask()) == 0;
  }

  /** Whether the two networks share an address (one contains the other's network). */
  public boolean overlaps(Cidr other) {
    if (other.family != family) {
      return false;
    }
    return contains(other.withPrefix(Math.max(prefix, other.prefix)))
        || other.contains(withPrefix(Math.max(prefix, other.prefix)));
  }

  /**
   * How many addresses the network holds, at most {@link Long#MAX_VALUE} (an IPv6 /64 holds more).
   */
  public long addressCount() {
    int hostBits = family.bits() - prefix;
    return hostBits >= 63 ? Long.MAX_VALUE : 1L << hostBits;
  }

  /**
   * The address {@code offset} further on (or back, when negative), same prefix; throws when that
   * leaves the family's address space.
   */
  public Cidr plus(long offset) {
    long newLow = low + offset;
    long carry;
    if (offset >= 0) {
      carry = Long.compareUnsigned(newLow, low) < 0 ? 1 : 0;
    } else {
      carry = Long.compareUnsigned(newLow, low) > 0 ? -1 : 0;
    }
    long newHigh = high + carry;
    boolean wrapped =
        isIpv4()
            ? newLow < 0 || (newLow >>> 32) != 0 || carry != 0
            : (carry > 0 && newHigh == 0) || (carry < 0 && newHigh == -1);
    if (wrapped) {
      throw new IllegalArgumentException(this + " plus " + offset + " is not an address");
    }
    return new Cidr(family, newHigh, newLow, prefix);
  }

  /** fe80::/10: IPv6 link-local unicast, which never leaves its link. */
  public boolean isLinkLocal() {
    return isIpv6() && (high >>> 54) == (0xfe80 >>> 6);
  }

  /** ::ffff:0:0/96, an IPv4 address written as IPv6. */
  public boolean isIpv4Mapped() {
    return isIpv6() && high == 0 && (low >>> 32) == 0xffff;
  }

  /** Whether the address's last bit is set (the upper address of a /31 or /127 pair). */
  public boolean isOdd() {
    return (low & 1) != 0;
  }

  /** The address as an InetAddress (a literal; nothing is looked up). */
  public InetAddress toInetAddress() {
    byte[] bytes = new byte[isIpv4() ? 4 : 16];
    if (isIpv4()) {
      for (int i = 0; i < 4; i++) {
        bytes[i] = (byte) (low >>> (24 - 8 * i));
      }
    } else {
      for (int i = 0; i < 8; i++) {
        bytes[i] = (byte) (high >>> (56 - 8 * i));
        bytes[i + 8] = (byte) (low >>> (56 - 8 * i));
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only thrown for a wrong length
    }
  }

  /** The address alone: dotted quad, or IPv6 in RFC 5952's canonical form. */
  public String ip() {
    return isIpv4() ? formatIpv4((int) low) : formatIpv6(high, low);
  }

  /** The address alone for a host, {@code address/prefix} otherwise: how ip and nft print it. */
  public String hostOrCidr() {
    return isHost() ? ip() : toString();
  }

  public static String formatIpv4(int address) {
    return ((address >>> 24) & 0xFF)
        + "."
        + ((address >>> 16) & 0xFF)
        + "."
        + ((address >>> 8) & 0xFF)
        + "."
        + (address & 0xFF);
  }

  /** Lowercase, no leading zeros, the first longest run of two or more zero groups as ::. */
  /**
   * An address as 4 or 16 bytes in network order ({@code InetAddress.getAddress()}), printed as
   * {@link #ip()} does: RFC 5952's canonical form for IPv6 ({@code 2001:db8::10}), not Java's
   * {@code 2001:db8:0:0:0:0:0:10}.
   */
  public static String format(byte[] address) {
    if (address.length == 4) {
      return formatIpv4(ByteBuffer.wrap(address).getInt());
    }
    if (address.length != 16) {
      throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
    }
    ByteBuffer b = ByteBuffer.wrap(address);
    return formatIpv6(b.getLong(), b.getLong());
  }

  private static String formatIpv6(long high, long low) {
    int[] groups = new int[8];
    for (int i = 0; i < 4; i++) {
      groups[i] = (int) (high >>> (48 - 16 * i)) & 0xffff;
      groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xffff;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  private long highMask() {
    if (isIpv4()) {
      return 0;
    }
    return prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
  }

  private long lowMask() {
    if (isIpv4()) {
      return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    }
    return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
  }

  /** IPv4 before IPv6, then by address, then shorter prefixes first. */
  @Override
  public int compareTo(Cidr o) {
    int c = family.compareTo(o.family);
    if (c == 0) {
      c = Long.compareUnsigned(high, o.high);
    }
    if (c == 0) {
      c = Long.compareUnsigned(low, o.low);
    }
    return c != 0 ? c : Integer.compare(prefix, o.prefix);
  }

  @Override
  public String toString() {
    return ip() + "/" + prefix;
  }
}
