package io.tunnelier.agent.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class DatapathConfigTest {
  static DatapathConfig.WireGuard wg(byte first) {
    byte[] key = new byte[32];
    key[0] = first;
    byte[] peer = new byte[32];
    peer[0] = 9;
    return new DatapathConfig.WireGuard(
        "tnl-a", 1420, key, peer, null, 51820, new InetSocketAddress("203.0.113.10", 51820), 25);
  }

  @Test
  void wireGuardConfigsWithTheSameKeysInOtherArraysAreEqual() {
    assertThat(wg((byte) 1)).isEqualTo(wg((byte) 1)).hasSameHashCodeAs(wg((byte) 1));
    assertThat(wg((byte) 1)).isNotEqualTo(wg((byte) 2));
    assertThat(wg((byte) 1)).isNotEqualTo(wg((byte) 1).withPeer(null));
    assertThat(wg((byte) 1).toString()).doesNotContain("[1, ").doesNotContain("AQAA");
  }
}
