package io.tunnelier.operator.peer;

import java.util.OptionalInt;

/** {@code spec.peer.endpoint} taken apart: {@code host:port}, {@code [v6]:port} or {@code host}. */
public record Endpoint(String host, boolean ipv6, OptionalInt port) {

  public static Endpoint parse(String endpoint) {
    String text = endpoint == null ? "" : endpoint.trim();
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("peer.endpoint has an unclosed '[': " + endpoint);
      }
      String host = text.substring(1, close);
      String rest = text.substring(close + 1);
      return new Endpoint(
          host, true, rest.startsWith(":") ? port(rest.substring(1)) : OptionalInt.empty());
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      return new Endpoint(text, false, OptionalInt.empty());
    }
    return new Endpoint(text.substring(0, colon), false, port(text.substring(colon + 1)));
  }

  private static OptionalInt port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("peer.endpoint port out of range: " + text);
      }
      return OptionalInt.of(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("peer.endpoint has an invalid port: " + text, e);
    }
  }

  /** Where the far end listens: every address of its family, on the endpoint's port. */
  public String listenAddress() {
    String any = ipv6 ? "[::]" : "0.0.0.0";
    return port.isPresent() ? any + ":" + port.getAsInt() : (ipv6 ? "::" : any);
  }
}
