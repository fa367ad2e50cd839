package io.tunnelier.operator.dependent;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decides when the shared node agent DaemonSet is no longer used: when the last Tunnel's cleanup is
 * done. Tunnels finishing their cleanup at the same time are serialized here, so exactly the last
 * one sees no other Tunnel left.
 */
public final class NodeAgentUsers {
  private final Set<String> finished = new HashSet<>();

  /**
   * Records that the Tunnel {@code uid} finished its cleanup, and tells whether no other Tunnel
   * (among {@code cachedUids}, the operator's cache of all Tunnels) still needs the agents.
   */
  public synchronized boolean finishAndCheckLast(String uid, Stream<String> cachedUids) {
    Set<String> cached = cachedUids.collect(Collectors.toSet());
    finished.retainAll(cached);
    finished.add(uid);
    return cached.stream().allMatch(finished::contains);
  }
}
