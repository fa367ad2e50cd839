package io.tunnelier.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The system resolver for real, with a name every machine resolves from its own hosts file (no
 * packet leaves the machine): localhost is refused, as a name resolving to loopback must be.
 */
class SystemPeerResolverIT {
  @Test
  void localhostResolvesAndIsRefusedAsLoopback() {
    assertThatThrownBy(
            () ->
                new SystemPeerResolver()
                    .resolve(InetSocketAddress.createUnresolved("localhost", 51820)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("localhost resolves to 127.")
        .hasMessageContaining("loopback");
  }
}
