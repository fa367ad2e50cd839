package io.tunnelier.operator.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class X25519KeysTest {
  // RFC 7748 section 6.1: Alice's keys.
  private static final String RFC_PRIVATE =
      "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
  private static final String RFC_PUBLIC =
      "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";

  private static String b64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  @Test
  void derivesThePublicKeyOfRfc7748() {
    WireGuardKeyPair pair = X25519Keys.fromPrivateKey(b64(RFC_PRIVATE));
    assertThat(pair.publicKey()).isEqualTo(b64(RFC_PUBLIC));
    assertThat(pair.privateKey()).isEqualTo(b64(RFC_PRIVATE));
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
  void rejectsWhatIsNotAKeyWithoutQuotingIt() {
    String almost = Base64.getEncoder().encodeToString(new byte[31]);
    assertThatThrownBy(() -> X25519Keys.fromPrivateKey(almost))
        .hasMessageContaining("31 bytes")
        .hasMessageNotContaining(almost);
    assertThatThrownBy(() -> X25519Keys.fromPrivateKey("not base64!"))
        .hasMessageNotContaining("not base64!");
  }

  @Test
  void toStringHidesThePrivateKey() {
    WireGuardKeyPair pair = X25519Keys.generate();
    assertThat(pair.toString()).doesNotContain(pair.privateKey()).contains(pair.publicKey());
  }
}
