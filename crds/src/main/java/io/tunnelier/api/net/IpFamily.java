package io.tunnelier.api.net;

/** An address family, named as Kubernetes' {@code ipFamilies} names them. */
public enum IpFamily {
  IPV4(32),
  IPV6(128);

  private final int bits;

  IpFamily(int bits) {
    this.bits = bits;
  }

  /** Address length in bits: the longest prefix. */
  public int bits() {
    return bits;
  }
}
