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

  /**
   * The pair derived from the two public keys overlaps the addresses of another Tunnel ({@code
   * namespace/name}).
   */
  record DerivedConflict(AddressPair pair, String otherTunnel) implements Assignment {}

  /**
   * Addresses are derived from both ends' public keys, and {@code spec.peer.publicKey} is empty, or
   * holds this end's own key ({@code ownKey}).
   */
  record PeerPublicKeyMissing(boolean ownKey) implements Assignment {}

  /**
   * Addresses are derived from both ends' public keys, and this end's keys Secret is not there yet.
   */
  record WaitingForKeys() implements Assignment {}

  default Optional<AddressPair> assigned() {
    return this instanceof Assigned a ? Optional.of(a.pair()) : Optional.empty();
  }
}
