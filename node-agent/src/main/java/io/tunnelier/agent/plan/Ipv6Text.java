package io.tunnelier.agent.plan;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IPv6 addresses as text in the canonical form of RFC 5952 (lowercase, no leading zeros, the
 * longest run of two or more zero groups as {@code ::}): what nft prints, so the agent's set
 * elements compare equal to what it reads back.
 */
public final class Ipv6Text {
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private Ipv6Text() {}

  /** The canonical text, or empty when {@code text} is not an IPv6 address (never resolves). */
  public static Optional<String> canonical(String text) {
    if (text == null || !text.contains(":") || !LITERAL.matcher(text.strip()).matches()) {
      return Optional.empty();
    }
    InetAddress a;
    try {
      a = InetAddress.getByName(text.strip()); // an IPv6 literal: parsed, not looked up
    } catch (UnknownHostException | IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!(a instanceof Inet6Address)) {
      return Optional.empty(); // IPv4-mapped: the kill switch's IPv4 side covers it
    }
    byte[] b = a.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
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
    return Optional.of(out.toString());
  }

  /** Link-local unicast (fe80::/10): the kill switch lets it through (it never leaves the link). */
  public static boolean linkLocal(String canonical) {
    String first = canonical.split(":", 2)[0];
    if (first.isEmpty()) {
      return false;
    }
    int group = Integer.parseInt(first, 16);
    return (group & 0xffc0) == 0xfe80;
  }
}
