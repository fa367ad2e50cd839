package io.tunnelier.operator.address;

import io.tunnelier.api.net.Cidr;
import java.util.Set;

/**
 * The inner addresses of a tunnel's two ends, e.g. this end {@code 100.96.0.2/31} and the peer
 * {@code 100.96.0.3/31}.
 */
public record AddressPair(Cidr local, Cidr peer) {

  /** The pair of the n-th /31 of the pool: this end .2n, the peer .2n+1. */
  public static AddressPair ofPoolIndex(Cidr pool, long index) {
    Cidr base = pool.network().plus(2 * index).withPrefix(31);
    return new AddressPair(base, base.plus(1));
  }

  /**
   * The pair a user-given {@code spec.address} implies. In a /31 the peer is the other address; in
   * a larger subnet the next host address (or the previous one when this end is the last host).
   *
   * @throws IllegalArgumentException when the subnet has no room for a peer (a /32) or the address
   *     is the network or broadcast address of a subnet larger than /31
   */
  public static AddressPair ofSpecAddress(String specAddress) {
    Cidr local = Cidr.parseIpv4(specAddress);
    int prefix = local.prefix();
    if (prefix == 32 || !specAddress.contains("/")) {
      throw new IllegalArgumentException(
          "spec.address " + specAddress + " is a /32: use a /31 such as 100.96.0.2/31");
    }
    if (prefix == 31) {
      return new AddressPair(local, local.plus(local.isOdd() ? -1 : 1));
    }
    Cidr network = local.network();
    Cidr broadcast = local.lastAddress();
    if (local.equals(network) || local.equals(broadcast)) {
      throw new IllegalArgumentException(
          "spec.address " + specAddress + " is the network or broadcast address of its subnet");
    }
    Cidr next = local.plus(1);
    return new AddressPair(local, next.equals(broadcast) ? local.plus(-1) : next);
  }

  /** Both addresses, as hosts. */
  public Set<Cidr> addresses() {
    return Set.of(local.host(), peer.host());
  }

  public boolean overlaps(AddressPair other) {
    return other.addresses().contains(local.host()) || other.addresses().contains(peer.host());
  }
}
