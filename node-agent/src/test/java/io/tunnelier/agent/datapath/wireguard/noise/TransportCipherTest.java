package io.tunnelier.agent.datapath.wireguard.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransportCipherTest {
  private final Keypair keypair;

  TransportCipherTest() {
    Random random = new Random(5);
    byte[] k = new byte[32];
    random.nextBytes(k);
    keypair = new Keypair(k, k, 1, 2, true, 0);
  }

  private static byte[] message(TransportCipher cipher, TransportKey key, long counter) {
    byte[] buf = new byte[16 + 1000 + 16];
    for (int i = 16; i < 1016; i++) {
      buf[i] = (byte) i;
    }
    assertThat(cipher.seal(key, counter, buf, 16, 1000)).isEqualTo(1016);
    return buf;
  }

  @ParameterizedTest
  @EnumSource(TransportCipher.Provider.class)
  void sealedByOneProviderOpensWithTheOther(TransportCipher.Provider provider) {
    TransportCipher sealer = new TransportCipher(provider);
    TransportCipher opener =
        new TransportCipher(
            provider == TransportCipher.Provider.JDK
                ? TransportCipher.Provider.BOUNCY_CASTLE
                : TransportCipher.Provider.JDK);
    byte[] buf = message(sealer, keypair.sendKey(), 42);
    assertThat(opener.open(keypair.receiveKey(), 42, buf, 16, 1016)).isEqualTo(1000);
    for (int i = 16; i < 1016; i++) {
      assertThat(buf[i]).isEqualTo((byte) i);
    }
  }

  @ParameterizedTest
  @EnumSource(TransportCipher.Provider.class)
  void tamperingOrAWrongCounterFailsAuthentication(TransportCipher.Provider provider) {
    TransportCipher cipher = new TransportCipher(provider);
    byte[] buf = message(cipher, keypair.sendKey(), 7);
    byte[] tampered = buf.clone();
    tampered[500] ^= 1;
    assertThat(cipher.open(keypair.receiveKey(), 7, tampered, 16, 1016)).isEqualTo(-1);
    assertThat(cipher.open(keypair.receiveKey(), 8, buf.clone(), 16, 1016)).isEqualTo(-1);
    assertThat(cipher.open(keypair.receiveKey(), 7, buf.clone(), 16, 1016)).isEqualTo(1000);
  }

  @ParameterizedTest
  @EnumSource(TransportCipher.Provider.class)
  void theSameMessageTwiceStillAuthenticatesSoTheReplayWindowDecides(
      TransportCipher.Provider provider) {
    TransportCipher cipher = new TransportCipher(provider);
    byte[] buf = message(new TransportCipher(provider), keypair.sendKey(), 9);
    assertThat(cipher.open(keypair.receiveKey(), 9, buf.clone(), 16, 1016)).isEqualTo(1000);
    assertThat(cipher.open(keypair.receiveKey(), 9, buf.clone(), 16, 1016)).isEqualTo(1000);
  }
}
