package io.tunnelier.operator.address;

import java.util.Set;

/**
 * The inner addresses of a tunnel's two ends, e.g. this end {@code 100.96.0.2/31} and the peer
 * {@code 100.96.0.3/31}.
 */
public record AddressPair(Ipv4Cidr local, Ipv4Cidr peer) {

  /** The pair of the n-th /31 of the pool: this end .2n, the peer .2n+1. */
  public static AddressPair ofPoolIndex(Ipv4Cidr pool, long index) {
    long base = pool.network() + 2 * index;
    return new AddressPair(new Ipv4Cidr(base, 31), new Ipv4Cidr(base + 1, 31));
  }

  /**
   * The pair a user-given {@code spec.address} implies. In a /31 the peer is the other address; in
   * a larger subnet the next host address (or the previous one when this end is the last host).
   *
   * @throws IllegalArgumentException when the subnet has no room for a peer (a /32) or the address
   *     is the network or broadcast address of a subnet larger than /31
   */
  public static AddressPair ofSpecAddress(String specAddress) {
    Ipv4Cidr local = Ipv4Cidr.parse(specAddress);
    int prefix = local.prefixLength();
    if (prefix == 32) {
      throw new IllegalArgumentException(
          "spec.address " + specAddress + " is a /32: use a /31 such as 100.96.0.2/31");
    }
    if (prefix == 31) {
      return new AddressPair(local, new Ipv4Cidr(local.address() ^ 1, 31));
    }
    long network = local.network();
    long broadcast = network + local.size() - 1;
    if (local.address() == network || local.address() == broadcast) {
      throw new IllegalArgumentException(
          "spec.address " + specAddress + " is the network or broadcast address of its subnet");
    }
    long peer = local.address() + 1 < broadcast ? local.address() + 1 : local.address() - 1;
    return new AddressPair(local, new Ipv4Cidr(peer, prefix));
  }

  /** Both addresses, without prefix. */
  public Set<Long> addresses() {
    return Set.of(local.address(), peer.address());
  }

  public boolean overlaps(AddressPair other) {
    return other.addresses().contains(local.address())
        || other.addresses().contains(peer.address());
  }
}
