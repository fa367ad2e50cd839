package io.tunnelier.agent.datapath.wireguard.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class X25519KeysTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void rfc7748DiffieHellmanVector() {
    // RFC 7748 section 6.1.
    byte[] alice = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] bob = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    assertThat(HEX.formatHex(X25519Keys.publicKey(alice)))
        .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(HEX.formatHex(X25519Keys.publicKey(bob)))
        .isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assertThat(HEX.formatHex(X25519Keys.dh(alice, X25519Keys.publicKey(bob)))).isEqualTo(shared);
    assertThat(HEX.formatHex(X25519Keys.dh(bob, X25519Keys.publicKey(alice)))).isEqualTo(shared);
  }

  @Test
  void generatedKeysAreClamped() {
    byte[] key = X25519Keys.generatePrivate(bytes -> java.util.Arrays.fill(bytes, (byte) 0xff));
    assertThat(key[0] & 7).isZero();
    assertThat(key[31] & 0x80).isZero();
    assertThat(key[31] & 0x40).isEqualTo(0x40);
  }

  @Test
  void lowOrderPointGivesNoSharedSecret() {
    byte[] key = X25519Keys.generatePrivate(Entropy.secure());
    assertThat(X25519Keys.dh(key, new byte[32])).isNull();
  }

  @Test
  void parseRejectsWrongLengthWithoutEchoingTheKey() {
    assertThatThrownBy(() -> X25519Keys.parse("c2VjcmV0"))
        .hasMessage("key is 6 bytes, expected 32")
        .hasMessageNotContaining("c2VjcmV0");
    assertThatThrownBy(() -> X25519Keys.parse("not base64!!"))
        .hasMessageNotContaining("not base64!!");
  }

  @Test
  void formatAndParseRoundTrip() {
    byte[] key = X25519Keys.generatePrivate(Entropy.secure());
    assertThat(X25519Keys.parse(X25519Keys.format(key))).isEqualTo(key);
  }
}
