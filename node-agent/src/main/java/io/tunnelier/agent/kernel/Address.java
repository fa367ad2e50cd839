package io.tunnelier.agent.kernel;

import io.tunnelier.api.peerconfig.Ipv4Cidr;

/** An IPv4 address on one of our links. */
public record Address(String dev, Ipv4Cidr cidr) {
  @Override
  public String toString() {
    return cidr + " dev " + dev;
  }
}
