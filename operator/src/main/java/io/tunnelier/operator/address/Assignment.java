package io.tunnelier.operator.address;

import java.util.Optional;

/** The outcome of asking for a Tunnel's addresses. */
public sealed interface Assignment {
  /** The Tunnel has these addresses. */
  record Assigned(AddressPair pair) implements Assignment {}

  /** Every /31 of the pool is taken. */
  record PoolExhausted(String pool) implements Assignment {}

  /** {@code spec.address} is taken by another Tunnel ({@code namespace/name}). */
  record Conflict(String address, String otherTunnel) implements Assignment {}

  /** {@code spec.address} cannot be used (a /32, a network address...). */
  record Invalid(String message) implements Assignment {}

  default Optional<AddressPair> assigned() {
    return this instanceof Assigned a ? Optional.of(a.pair()) : Optional.empty();
  }
}
