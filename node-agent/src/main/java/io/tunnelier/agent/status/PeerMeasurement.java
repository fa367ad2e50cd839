package io.tunnelier.agent.status;

import java.util.OptionalDouble;

/**
 * What this node measured toward a tunnel's peer in one pass.
 *
 * @param rttMillis through the tunnel, to the peer's inner address; empty when it did not answer
 * @param lossPercent share of the recent probes through the tunnel that got no answer
 * @param directRttMillis to the peer's underlay address, outside the tunnel (the detour's
 *     baseline); empty when unknown or when the peer does not answer echo requests
 * @param probing the peer has not answered yet and the tunnel is too new to call it unreachable
 *     ({@link ProbeWindow#probing}): PeerReachable Unknown rather than False
 */
public record PeerMeasurement(
    OptionalDouble rttMillis,
    OptionalDouble lossPercent,
    OptionalDouble directRttMillis,
    boolean probing) {
  public static final PeerMeasurement NONE =
      new PeerMeasurement(
          OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), false);

  /** A new tunnel's peer before its first answer. */
  public static final PeerMeasurement PROBING =
      new PeerMeasurement(
          OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), true);

  /** Only the RTT through the tunnel. */
  public static PeerMeasurement rtt(OptionalDouble rttMillis) {
    return new PeerMeasurement(rttMillis, OptionalDouble.empty(), OptionalDouble.empty(), false);
  }
}
