package io.tunnelier.operator.status;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each node's heartbeat Lease renewal ({@code spec.renewTime}) as the Lease informer last delivered
 * it: what {@link AgentSilence} judges an agent's silence by, next to its entries. Thread-safe: the
 * informer records, reconcilers read a copy.
 */
public final class AgentRenewals {
  private final Map<String, Instant> renewed = new ConcurrentHashMap<>();

  /**
   * The node's Lease as last delivered (the informer delivers in order; a clock stepped back on the
   * node counts from its new time); one without a time changes nothing.
   */
  public void record(String node, Instant renewTime) {
    if (node != null && renewTime != null) {
      renewed.put(node, renewTime);
    }
  }

  /** The node's Lease is gone (its agent's Pod was deleted). */
  public void forget(String node) {
    if (node != null) {
      renewed.remove(node);
    }
  }

  /** A copy, for one reconcile. */
  public Map<String, Instant> snapshot() {
    return Map.copyOf(renewed);
  }
}
