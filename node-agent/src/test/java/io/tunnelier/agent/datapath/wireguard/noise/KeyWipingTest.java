package io.tunnelier.agent.datapath.wireguard.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.keys.X25519Keys;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: key material is wiped (zeroed), not only dropped, when a handshake completes or is
 * abandoned, when a keypair is retired, and when a tunnel's identity goes away.
 */
class KeyWipingTest {
  private final byte[] privateA = X25519Keys.generatePrivate(new Random(1)::nextBytes);
  private final byte[] privateB = X25519Keys.generatePrivate(new Random(2)::nextBytes);
  private final StaticIdentity a =
      new StaticIdentity(privateA, X25519Keys.publicKey(privateB), null);
  private final StaticIdentity b =
      new StaticIdentity(privateB, X25519Keys.publicKey(privateA), null);
  private final Handshake initiator = new Handshake(a, new Random(3)::nextBytes);
  private final Handshake responder = new Handshake(b, new Random(4)::nextBytes);

  private static void assertWiped(byte[]... secrets) {
    for (byte[] secret : secrets) {
      assertThat(secret).isNotNull().hasSize(32).containsOnly((byte) 0);
    }
  }

  private static void assertNotWiped(byte[]... secrets) {
    for (byte[] secret : secrets) {
      assertThat(secret).isNotNull().isNotEqualTo(new byte[32]);
    }
  }

  private byte[] initiation() {
    byte[] msg = new byte[Messages.INITIATION_SIZE];
    assertThat(initiator.createInitiation(msg, 0, 1, Tai64n.of(1_000_000_000L), null)).isTrue();
    return msg;
  }

  @Test
  void aCompletedHandshakeWipesItsEphemeralKeysHashesAndChainingKeys() {
    byte[] initiation = initiation();
    byte[][] initiated = initiator.secretsForTest();
    assertNotWiped(initiated);

    assertThat(responder.consumeInitiation(initiation, 0, 0)).isTrue();
    byte[][] consumed = responder.secretsForTest();
    byte[] response = new byte[Messages.RESPONSE_SIZE];
    assertThat(responder.createResponse(response, 0, 2, null)).isTrue();
    // The initiation's hash and chaining key were replaced by the response's.
    assertWiped(consumed[0], consumed[1]);
    byte[][] responded = responder.secretsForTest();
    assertNotWiped(responded);
    Keypair responderSession = responder.beginSession(1);
    assertWiped(responded);

    assertThat(initiator.consumeResponse(response, 0)).isTrue();
    // The initiation's hash and chaining key were replaced; the ephemeral key is done with.
    assertWiped(initiated);
    byte[][] completed = initiator.secretsForTest();
    Keypair initiatorSession = initiator.beginSession(1);
    assertWiped(completed[0], completed[1]);
    assertThat((Object[]) initiator.secretsForTest()).containsOnlyNulls();
    assertThat((Object[]) responder.secretsForTest()).containsOnlyNulls();

    // The wiping took nothing the sessions need: what one end seals, the other opens.
    // (One cipher per end: the JDK's refuses the same key and nonce twice in a row.)
    byte[] buf = Arrays.copyOf("hello".getBytes(), 5 + Aead.TAG_SIZE);
    int sealed = new TransportCipher().seal(initiatorSession.sendKey(), 0, buf, 0, 5);
    assertThat(new TransportCipher().open(responderSession.receiveKey(), 0, buf, 0, sealed))
        .isEqualTo(5);
    assertThat(Arrays.copyOf(buf, 5)).isEqualTo("hello".getBytes());
  }

  @Test
  void anAbandonedHandshakeIsWiped() {
    initiation();
    byte[][] first = initiator.secretsForTest();
    initiation();
    assertWiped(first);
    byte[][] second = initiator.secretsForTest();
    assertNotWiped(second);
    initiator.clear();
    assertWiped(second);
  }

  @Test
  void aRefusedMessageWipesNothingTheHandshakeStillNeeds() {
    byte[] initiation = initiation();
    byte[][] waiting = initiator.secretsForTest();
    assertThat(responder.consumeInitiation(initiation, 0, 0)).isTrue();
    byte[] response = new byte[Messages.RESPONSE_SIZE];
    assertThat(responder.createResponse(response, 0, 2, null)).isTrue();
    byte[] tampered = response.clone();
    tampered[Messages.RESPONSE_EMPTY] ^= 1;

    assertThat(initiator.consumeResponse(tampered, 0)).isFalse();
    assertThat(initiator.lastFailure()).isEqualTo(Handshake.Failure.DECRYPT);
    assertNotWiped(waiting);
    assertThat(initiator.consumeResponse(response, 0)).isTrue();
  }

  @Test
  void aRetiredKeypairIsWiped() {
    byte[] send = filled(7);
    byte[] receive = filled(9);
    Keypair keypair = new Keypair(send, receive, 1, 2, true, 0);
    assertThat(keypair.wiped()).isFalse();
    keypair.retire();
    assertThat(keypair.wiped()).isTrue();
    assertThat(keypair.sendKey().jdk.getEncoded()).containsOnly((byte) 0);
    assertThat(keypair.receiveKey().bouncyCastle.getKey()).containsOnly((byte) 0);
    assertThat(keypair.acquire()).isFalse();
    // The keypair copied the caller's arrays: wiping those is the caller's business.
    assertThat(send).isEqualTo(filled(7));
  }

  @Test
  void aKeypairInUseIsWipedWhenItsLastUseEnds() {
    Keypair keypair = new Keypair(filled(7), filled(9), 1, 2, true, 0);
    assertThat(keypair.acquire()).isTrue();
    assertThat(keypair.acquire()).isTrue();
    keypair.retire();
    assertThat(keypair.wiped()).isFalse();
    assertThat(keypair.acquire()).as("retired: no new use").isFalse();
    keypair.release();
    assertThat(keypair.wiped()).isFalse();
    keypair.release();
    assertThat(keypair.wiped()).isTrue();
    keypair.retire();
    assertThat(keypair.wiped()).isTrue();
  }

  @Test
  void aWipedIdentityKeepsOnlyItsPublicKeys() {
    byte[] publicKey = b.publicKey();
    b.wipe();
    assertWiped(b.privateKey(), b.presharedKey(), b.staticStatic());
    assertThat(b.publicKey()).isEqualTo(publicKey);
    assertThat(b.isPeer(X25519Keys.publicKey(privateA))).isTrue();
    // The constructor copied the caller's key.
    assertNotWiped(privateB);
  }

  private static byte[] filled(int value) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) value);
    return key;
  }
}
