package io.tunnelier.agent.status;

import java.io.IOException;
import java.net.InetAddress;
import java.util.OptionalDouble;

/**
 * Echo request with the JDK's {@link InetAddress#isReachable}: ICMP when the process has NET_RAW
 * (the agent has), timed on a monotonic clock.
 */
public final class IcmpPeerProbe implements PeerProbe {
  private final int timeoutMillis;

  public IcmpPeerProbe(int timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public OptionalDouble rttMillis(String peerInnerAddress) {
    try {
      InetAddress peer = InetAddress.getByName(peerInnerAddress); // a literal: no lookup
      long start = System.nanoTime();
      if (peer.isReachable(timeoutMillis)) {
        return OptionalDouble.of((System.nanoTime() - start) / 1e6);
      }
    } catch (IOException e) {
      // unreachable
    }
    return OptionalDouble.empty();
  }
}
