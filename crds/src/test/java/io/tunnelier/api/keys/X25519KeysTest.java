package io.tunnelier.api.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class X25519KeysTest {
  private static final HexFormat HEX = HexFormat.of();
  // RFC 7748 section 6.1: Alice's and Bob's keys and their shared secret.
  private static final String ALICE_PRIVATE =
      "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
  private static final String ALICE_PUBLIC =
      "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
  private static final String BOB_PRIVATE =
      "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
  private static final String BOB_PUBLIC =
      "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
  private static final String SHARED =
      "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

  private static String b64(String hex) {
    return Base64.getEncoder().encodeToString(HEX.parseHex(hex));
  }

  @Test
  void derivesThePublicKeyOfRfc7748() {
    WireGuardKeyPair pair = X25519Keys.fromPrivateKey(b64(ALICE_PRIVATE));
    assertThat(pair.publicKey()).isEqualTo(b64(ALICE_PUBLIC));
    assertThat(pair.privateKey()).isEqualTo(b64(ALICE_PRIVATE));
  }

  @Test
  void rfc7748DiffieHellmanVector() {
    byte[] alice = HEX.parseHex(ALICE_PRIVATE);
    byte[] bob = HEX.parseHex(BOB_PRIVATE);
    assertThat(HEX.formatHex(X25519Keys.publicKey(alice))).isEqualTo(ALICE_PUBLIC);
    assertThat(HEX.formatHex(X25519Keys.publicKey(bob))).isEqualTo(BOB_PUBLIC);
    assertThat(HEX.formatHex(X25519Keys.dh(alice, X25519Keys.publicKey(bob)))).isEqualTo(SHARED);
    assertThat(HEX.formatHex(X25519Keys.dh(bob, X25519Keys.publicKey(alice)))).isEqualTo(SHARED);
  }

  @Test
  void generatesClampedDistinctKeysInWireGuardsTextForm() {
    WireGuardKeyPair a = X25519Keys.generate();
    WireGuardKeyPair b = X25519Keys.generate();
    assertThat(a.privateKey()).isNotEqualTo(b.privateKey());
    for (WireGuardKeyPair pair : new WireGuardKeyPair[] {a, b}) {
      assertThat(pair.privateKey()).hasSize(44).endsWith("=");
      assertThat(pair.publicKey()).matches("^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$");
      byte[] secret = Base64.getDecoder().decode(pair.privateKey());
      assertThat(secret[0] & 7).isZero();
      assertThat(secret[31] & 0x80).isZero();
      assertThat(secret[31] & 0x40).isEqualTo(0x40);
      assertThat(X25519Keys.fromPrivateKey(pair.privateKey())).isEqualTo(pair);
    }
  }

  @Test
  void generatedRawKeysAreClamped() {
    byte[] key = X25519Keys.generatePrivate(bytes -> Arrays.fill(bytes, (byte) 0xff));
    assertThat(key[0] & 7).isZero();
    assertThat(key[31] & 0x80).isZero();
    assertThat(key[31] & 0x40).isEqualTo(0x40);
  }

  @Test
  void lowOrderPointGivesNoSharedSecret() {
    byte[] key = X25519Keys.generatePrivate(new SecureRandom()::nextBytes);
    assertThat(X25519Keys.dh(key, new byte[32])).isNull();
  }

  @Test
  void rejectsWhatIsNotAKeyWithoutQuotingIt() {
    String almost = Base64.getEncoder().encodeToString(new byte[31]);
    assertThatThrownBy(() -> X25519Keys.fromPrivateKey(almost))
        .hasMessage("the private key has 31 bytes instead of 32")
        .hasMessageNotContaining(almost);
    assertThatThrownBy(() -> X25519Keys.fromPrivateKey("not base64!"))
        .hasMessage("the private key is not valid base64");
    assertThatThrownBy(() -> X25519Keys.publicKeyBytes("c2VjcmV0"))
        .hasMessage("the public key has 6 bytes instead of 32");
    assertThatThrownBy(() -> X25519Keys.parse("c2VjcmV0"))
        .hasMessage("the key has 6 bytes instead of 32");
    assertThatThrownBy(() -> X25519Keys.parse("not base64!!"))
        .hasMessage("the key is not valid base64");
  }

  @Test
  void formatAndParseRoundTrip() {
    byte[] key = X25519Keys.generatePrivate(new SecureRandom()::nextBytes);
    assertThat(X25519Keys.parse(X25519Keys.format(key))).isEqualTo(key);
    assertThat(X25519Keys.parse(" " + X25519Keys.format(key) + "\n")).isEqualTo(key);
  }

  @Test
  void toStringHidesThePrivateKey() {
    WireGuardKeyPair pair = X25519Keys.generate();
    assertThat(pair.toString()).doesNotContain(pair.privateKey()).contains(pair.publicKey());
  }
}
