package io.tunnelier.agent.kernel;

import io.tunnelier.api.net.Cidr;

/** An IPv4 address on one of our links. */
public record Address(String dev, Cidr cidr) {
  @Override
  public String toString() {
    return cidr + " dev " + dev;
  }
}
