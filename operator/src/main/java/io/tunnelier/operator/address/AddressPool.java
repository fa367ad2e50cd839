package io.tunnelier.operator.address;

import io.tunnelier.api.net.Cidr;

/** A pool setting inner addresses are taken from as /31 pairs. */
public final class AddressPool {
  private AddressPool() {}

  /**
   * Parses a pool: its network, with room for at least two pairs (a /30 or shorter).
   *
   * @param setting the configuration key, named in the message
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Cidr parse(String setting, String text) {
    Cidr parsed;
    try {
      if (text == null || !text.contains("/")) {
        throw new IllegalArgumentException("no prefix length");
      }
      parsed = Cidr.parseIpv4(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          setting
              + ": '"
              + text
              + "' is not an IPv4 address with prefix length, such as 100.96.0.0/16",
          e);
    }
    if (parsed.prefix() > 30) {
      throw new IllegalArgumentException(
          setting + " " + text + " is too small: use at most a /30, e.g. 100.96.0.0/16");
    }
    return parsed.network();
  }
}
