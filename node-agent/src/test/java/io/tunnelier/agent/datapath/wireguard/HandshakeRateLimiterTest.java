package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HandshakeRateLimiterTest {
  static final long SECOND = 1_000_000_000L;
  static final byte[] A = {(byte) 198, 51, 100, 9, 0x1f, 0x40};
  static final byte[] A_OTHER_PORT = {(byte) 198, 51, 100, 9, 0x1f, 0x41};
  static final byte[] B = {(byte) 203, 0, 113, 7, 0x1f, 0x40};

  @Test
  void aBurstThenTwentyPerSecondPerAddressWhateverThePort() {
    HandshakeRateLimiter limiter = new HandshakeRateLimiter();
    long now = 5 * SECOND;
    int allowed = 0;
    for (int i = 0; i < 100; i++) {
      allowed += limiter.allow(i % 2 == 0 ? A : A_OTHER_PORT, 6, now) ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(HandshakeRateLimiter.BURST);
    // Another address has its own bucket.
    assertThat(limiter.allow(B, 6, now)).isTrue();
    // One second later: 20 more, not more.
    allowed = 0;
    for (int i = 0; i < 100; i++) {
      allowed += limiter.allow(A, 6, now + SECOND) ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(HandshakeRateLimiter.BURST);
    allowed = 0;
    for (int i = 1; i <= 1000; i++) {
      allowed += limiter.allow(A, 6, now + SECOND + i * (SECOND / 1000)) ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(HandshakeRateLimiter.PER_SECOND);
  }

  @Test
  void ipv6SourcesShareTheirSlash64AndTheTableStaysBounded() {
    byte[] v6a = new byte[18];
    byte[] v6b = new byte[18];
    v6a[0] = 0x20;
    v6a[1] = 0x01;
    v6a[2] = 0x0d;
    v6a[3] = (byte) 0xb8;
    System.arraycopy(v6a, 0, v6b, 0, 8);
    v6b[15] = 1; // another interface identifier in the same /64
    assertThat(HandshakeRateLimiter.key(v6a, 18)).isEqualTo(HandshakeRateLimiter.key(v6b, 18));
    assertThat(HandshakeRateLimiter.key(A, 6)).isNotEqualTo(HandshakeRateLimiter.key(B, 6));

    HandshakeRateLimiter limiter = new HandshakeRateLimiter();
    long now = SECOND;
    byte[] source = {100, 64, 0, 0, 0, 1};
    int refused = 0;
    for (int i = 0; i < HandshakeRateLimiter.MAX_SOURCES + 10; i++) {
      source[2] = (byte) (i >>> 8);
      source[3] = (byte) i;
      source[1] = (byte) (64 + (i >>> 16));
      refused += limiter.allow(source, 6, now) ? 0 : 1;
    }
    assertThat(limiter.trackedSources()).isEqualTo(HandshakeRateLimiter.MAX_SOURCES);
    assertThat(refused).isEqualTo(10);
    // Idle sources are forgotten once their buckets have refilled.
    limiter.allow(A, 6, now + 2 * SECOND);
    assertThat(limiter.trackedSources()).isEqualTo(1);
  }
}
