package io.tunnelier.agent.status;

import java.util.OptionalDouble;

/** Measures the round trip to the peer's inner address through the tunnel. */
@FunctionalInterface
public interface PeerProbe {
  /** RTT in milliseconds, or empty when the peer did not answer. */
  OptionalDouble rttMillis(String peerInnerAddress);

  PeerProbe NONE = peer -> OptionalDouble.empty();
}
