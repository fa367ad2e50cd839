package io.tunnelier.agent.datapath.wireguard.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Known answers for the hash constructions the handshake is built from. */
class Blake2sTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void hashMatchesRfc7693AppendixB() {
    // RFC 7693, Appendix B: BLAKE2s-256("abc").
    assertThat(HEX.formatHex(Blake2s.hash("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
  }

  @Test
  void initialChainingKeyAndHashMatchThePublishedConstants() {
    // The constants every implementation precomputes (boringtun's INITIAL_CHAIN_KEY/HASH).
    assertThat(HEX.formatHex(Handshake.INITIAL_CHAIN_KEY))
        .isEqualTo("60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36");
    assertThat(HEX.formatHex(Handshake.INITIAL_HASH))
        .isEqualTo("2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3");
  }

  @Test
  void hmacIsRfc2104OverBlake2sWithA64ByteBlock() {
    byte[] key = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    byte[] data = "wireguard".getBytes(StandardCharsets.US_ASCII);
    byte[] ipad = new byte[64];
    byte[] opad = new byte[64];
    for (int i = 0; i < 64; i++) {
      byte k = i < key.length ? key[i] : 0;
      ipad[i] = (byte) (k ^ 0x36);
      opad[i] = (byte) (k ^ 0x5c);
    }
    byte[] expected = Blake2s.hash(opad, Blake2s.hash(ipad, data));
    assertThat(Blake2s.hmac(key, data)).isEqualTo(expected);
  }

  @Test
  void kdfChainsHmacOutputsAsTheWhitepaperSays() {
    byte[] key = Blake2s.hash("key".getBytes(StandardCharsets.US_ASCII));
    byte[] input = "input".getBytes(StandardCharsets.US_ASCII);
    byte[] t0 = Blake2s.hmac(key, input);
    byte[] t1 = Blake2s.hmac(t0, new byte[] {1});
    byte[] t2 = Blake2s.hmac(t0, t1, new byte[] {2});
    byte[] t3 = Blake2s.hmac(t0, t2, new byte[] {3});
    byte[][] out = Blake2s.kdf(3, key, input);
    assertThat(out[0]).isEqualTo(t1);
    assertThat(out[1]).isEqualTo(t2);
    assertThat(out[2]).isEqualTo(t3);
    assertThat(Blake2s.kdf1(key, input)).isEqualTo(t1);
  }

  @Test
  void macIsKeyedBlake2sWith16ByteOutput() {
    // RFC 7693 keyed BLAKE2s differs from HASH(key || data); make sure the key is a real key.
    byte[] key = new byte[32];
    byte[] data = new byte[] {1, 2, 3};
    byte[] mac = Blake2s.mac(key, data, 0, data.length);
    assertThat(mac).hasSize(16);
    assertThat(mac).isNotEqualTo(java.util.Arrays.copyOf(Blake2s.hash(key, data), 16));
  }
}
