package io.tunnelier.agent.datapath.wireguard;

import static io.tunnelier.agent.datapath.wireguard.TwoPeers.SECOND;
import static io.tunnelier.agent.datapath.wireguard.TwoPeers.ipv4;
import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.wireguard.noise.CookieGenerator;
import io.tunnelier.agent.datapath.wireguard.noise.Handshake;
import io.tunnelier.agent.datapath.wireguard.noise.Messages;
import io.tunnelier.agent.datapath.wireguard.noise.StaticIdentity;
import io.tunnelier.agent.datapath.wireguard.noise.Tai64n;
import io.tunnelier.api.keys.X25519Keys;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Two cores talking through {@link TwoPeers}: handshake, transport, replay and cookies. */
class PeerTest {
  private static final byte[] STRANGER = X25519Keys.generatePrivate(new Random(99)::nextBytes);

  private final TwoPeers w = new TwoPeers();

  @Test
  void firstPacketTriggersInitiationAndIsDeliveredAfterTheHandshake() {
    byte[] packet = ipv4(100, 7);
    w.a.send(packet);

    byte[] initiation = w.a.outbox.peek();
    assertThat(initiation).hasSize(Messages.INITIATION_SIZE);
    assertThat(Messages.type(initiation, 0)).isEqualTo(Messages.TYPE_INITIATION);

    w.b.receive(w.a.take(), w.a.source);
    byte[] response = w.b.outbox.peek();
    assertThat(response).hasSize(Messages.RESPONSE_SIZE);
    assertThat(Messages.type(response, 0)).isEqualTo(Messages.TYPE_RESPONSE);
    assertThat(Messages.getInt(response, Messages.RESPONSE_RECEIVER))
        .isEqualTo(Messages.getInt(initiation, Messages.INITIATION_SENDER));

    w.a.receive(w.b.take(), w.b.source);
    // The staged packet goes out as transport data, padded to 16: header + 112 + tag.
    byte[] data = w.a.outbox.peek();
    assertThat(Messages.type(data, 0)).isEqualTo(Messages.TYPE_TRANSPORT);
    assertThat(data).hasSize(16 + 112 + 16);
    assertThat(Messages.getLong(data, Messages.TRANSPORT_COUNTER)).isZero();

    w.deliverAll();
    assertThat(w.b.tunnel).containsExactly(packet);
    assertThat(w.a.drops).isEmpty();
    assertThat(w.b.drops).isEmpty();
    assertThat(w.a.peer.lastHandshake()).isEqualTo(w.now);
    assertThat(w.b.peer.lastHandshake()).isEqualTo(w.now);
  }

  @Test
  void closingWipesTheSessionsAndTheIdentity() {
    w.a.send(ipv4(100, 7));
    w.deliverAll();
    var keypair = w.a.peer.currentKeypair();
    assertThat(keypair.wiped()).isFalse();
    w.a.peer.close();
    assertThat(keypair.wiped()).isTrue();
    assertThat(w.a.peer.currentKeypair()).isNull();
  }

  @Test
  void dataFlowsBothWaysWithIncreasingCounters() {
    w.handshake();
    for (int i = 0; i < 5; i++) {
      w.a.send(ipv4(60 + i, i));
      w.b.send(ipv4(1420, 100 + i));
    }
    w.deliverAll();
    assertThat(w.b.tunnel).hasSize(5);
    assertThat(w.a.tunnel).hasSize(5);
    assertThat(w.a.tunnel.get(4)).isEqualTo(ipv4(1420, 104));
    assertThat(w.b.tunnel.get(2)).isEqualTo(ipv4(62, 2));
    // a sent its confirming keepalive first (counter 0), then data 1..5.
    assertThat(w.a.peer.currentKeypair().sendCounter()).isEqualTo(6);
  }

  @Test
  void keepaliveIsAnEmptyTransportMessage() {
    w.a.peer.requestHandshake();
    w.a.drain();
    w.b.receive(w.a.take(), w.a.source);
    w.a.receive(w.b.take(), w.b.source);
    byte[] keepalive = w.a.take();
    assertThat(keepalive).hasSize(Messages.TRANSPORT_MIN_SIZE);
    w.b.receive(keepalive, w.a.source);
    assertThat(w.b.tunnel).isEmpty();
    assertThat(w.b.drops).isEmpty();
    assertThat(w.b.authenticated).isTrue();
  }

  @Test
  void replayedTransportMessageIsDropped() {
    w.handshake();
    w.a.send(ipv4(80, 1));
    byte[] captured = w.a.take();
    w.b.receive(captured, w.a.source);
    w.b.receive(captured, w.a.source);
    assertThat(w.b.tunnel).hasSize(1);
    assertThat(w.b.drops).containsExactly(WireGuardDrop.REPLAY.reason());
  }

  @Test
  void tamperedTransportMessageIsDroppedAndDoesNotMoveTheWindow() {
    w.handshake();
    w.a.send(ipv4(80, 1));
    byte[] message = w.a.take();
    byte[] tampered = message.clone();
    tampered[40] ^= 1;
    w.b.receive(tampered, w.a.source);
    w.b.receive(message, w.a.source);
    assertThat(w.b.drops).containsExactly(WireGuardDrop.DECRYPT.reason());
    assertThat(w.b.tunnel).hasSize(1);
  }

  @Test
  void unknownReceiverIndexIsDropped() {
    w.handshake();
    w.a.send(ipv4(80, 1));
    byte[] message = w.a.take();
    Messages.putInt(message, Messages.TRANSPORT_RECEIVER, 12345);
    w.b.receive(message, w.a.source);
    assertThat(w.b.drops).containsExactly(WireGuardDrop.UNKNOWN_INDEX.reason());
  }

  @Test
  void garbageIsDroppedWithAReason() {
    w.b.receive(new byte[] {1, 2}, w.a.source);
    w.b.receive(new byte[] {9, 0, 0, 0, 1, 2, 3}, w.a.source);
    w.b.receive(new byte[] {1, 0, 0, 0, 1, 2, 3}, w.a.source);
    w.b.receive(new byte[148], w.a.source);
    assertThat(w.b.drops)
        .containsExactly(
            WireGuardDrop.SHORT.reason(),
            WireGuardDrop.BAD_TYPE.reason(),
            WireGuardDrop.BAD_LENGTH.reason(),
            WireGuardDrop.BAD_TYPE.reason());
  }

  @Test
  void replayedInitiationIsRejectedByItsTimestamp() {
    w.a.peer.requestHandshake();
    w.a.drain();
    byte[] initiation = w.a.take();
    w.b.receive(initiation, w.a.source);
    assertThat(w.b.take()).hasSize(Messages.RESPONSE_SIZE);
    w.now += SECOND;
    w.b.receive(initiation, w.a.source);
    assertThat(w.b.outbox).isEmpty();
    assertThat(w.b.drops).containsExactly(Handshake.Failure.REPLAYED_TIMESTAMP.reason());
  }

  @Test
  void initiationFromAnotherKeyIsRejected() {
    byte[] msg = initiationTo(w.b.publicKey, STRANGER, w.now);
    w.b.receive(msg, w.a.source);
    assertThat(w.b.drops).containsExactly(Handshake.Failure.UNKNOWN_PEER.reason());
  }

  @Test
  void initiationWithBadMac1IsDroppedBeforeAnyDiffieHellman() {
    byte[] msg = initiationTo(w.b.publicKey, w.a.privateKey, w.now);
    msg[Messages.INITIATION_MAC1] ^= 1;
    w.b.receive(msg, w.a.source);
    assertThat(w.b.drops).containsExactly(WireGuardDrop.BAD_MAC1.reason());
  }

  @Test
  void underLoadTheResponderAnswersWithCookiesAndAcceptsMac2() {
    // A flood: validly MACed initiations, as an attacker knowing only b's public key makes.
    byte[] stranger = {(byte) 198, 51, 100, 9, (byte) 0xca, 0x6c};
    int cookies = 0;
    for (int i = 0; i < 100; i++) {
      byte[] msg = initiationTo(w.b.publicKey, STRANGER, w.now + i * 1000L);
      w.b.receive(msg, stranger);
      byte[] reply = w.b.take();
      if (reply != null && Messages.type(reply, 0) == Messages.TYPE_COOKIE_REPLY) {
        assertThat(reply).hasSize(Messages.COOKIE_REPLY_SIZE);
        cookies++;
      }
      w.b.outbox.clear();
    }
    // Under load the stranger's address gets a burst of cookies, then nothing: no reflection
    // through b scales with the attacker's rate.
    assertThat(cookies).isEqualTo(HandshakeRateLimiter.BURST);
    assertThat(w.b.peer.cookieRepliesSent()).isEqualTo(cookies);
    assertThat(w.b.drops)
        .filteredOn(WireGuardDrop.RATE_LIMITED.reason()::equals)
        .hasSize(100 - LoadDetector.THRESHOLD - HandshakeRateLimiter.BURST);

    // The honest peer's initiation is answered with a cookie, which it takes for its next try.
    w.now += 100 * TwoPeers.SECOND / 1000;
    w.a.peer.requestHandshake();
    w.a.drain();
    w.b.receive(w.a.take(), w.a.source);
    byte[] reply = w.b.take();
    assertThat(Messages.type(reply, 0)).isEqualTo(Messages.TYPE_COOKIE_REPLY);
    w.a.receive(reply, w.b.source);
    assertThat(w.a.drops).isEmpty();

    // The retransmission carries MAC2 and is accepted although b is still under load.
    w.advance(Constants.REKEY_TIMEOUT + Constants.REKEY_TIMEOUT_JITTER_MAX);
    byte[] retry = w.a.take();
    assertThat(Messages.type(retry, 0)).isEqualTo(Messages.TYPE_INITIATION);
    assertThat(retry[Messages.INITIATION_MAC2]).isNotZero();
    w.b.receive(retry, w.a.source);
    assertThat(Messages.type(w.b.outbox.peek(), 0)).isEqualTo(Messages.TYPE_RESPONSE);
    w.deliverAll();
    w.a.send(ipv4(64, 3));
    w.deliverAll();
    assertThat(w.b.tunnel).containsExactly(ipv4(64, 3));
  }

  @Test
  void cookieFromAnotherSourceDoesNotHelp() {
    flood();
    w.a.peer.requestHandshake();
    w.a.drain();
    w.b.receive(w.a.take(), w.a.source);
    w.a.receive(w.b.take(), w.b.source);
    w.advance(Constants.REKEY_TIMEOUT + Constants.REKEY_TIMEOUT_JITTER_MAX);
    flood();
    // The cookie was bound to a's address; the same message from elsewhere gets another cookie.
    byte[] other = {(byte) 198, 51, 100, 7, 0, 53};
    w.b.receive(w.a.take(), other);
    assertThat(Messages.type(w.b.take(), 0)).isEqualTo(Messages.TYPE_COOKIE_REPLY);
  }

  @Test
  void noPrivateKeyInAnyToString() {
    w.handshake();
    String secret = X25519Keys.format(w.a.privateKey);
    String hex = java.util.HexFormat.of().formatHex(w.a.privateKey);
    for (Object o :
        new Object[] {w.a.peer, w.a.peer.currentKeypair(), w.a.peer.currentKeypair().sendKey()}) {
      assertThat(o.toString()).doesNotContain(secret).doesNotContain(hex);
    }
    assertThat(new StaticIdentity(w.a.privateKey, w.b.publicKey, null).toString())
        .doesNotContain(secret)
        .contains(X25519Keys.format(w.a.publicKey));
  }

  @Test
  void forgedCookieReplyIsDropped() {
    w.a.peer.requestHandshake();
    w.a.drain();
    byte[] initiation = w.a.take();
    byte[] forged = new byte[Messages.COOKIE_REPLY_SIZE];
    Messages.putType(forged, 0, Messages.TYPE_COOKIE_REPLY);
    Messages.putInt(
        forged, Messages.COOKIE_RECEIVER, Messages.getInt(initiation, Messages.INITIATION_SENDER));
    w.a.receive(forged, w.b.source);
    assertThat(w.a.drops).containsExactly(WireGuardDrop.COOKIE_INVALID.reason());
  }

  private void flood() {
    for (int i = 0; i <= LoadDetector.THRESHOLD; i++) {
      w.b.receive(initiationTo(w.b.publicKey, STRANGER, w.now + i), w.a.source);
    }
    w.b.outbox.clear();
  }

  /** An initiation from {@code senderPrivate} to the holder of {@code responderPublic}. */
  static byte[] initiationTo(byte[] responderPublic, byte[] senderPrivate, long wallNanos) {
    StaticIdentity identity = new StaticIdentity(senderPrivate, responderPublic, null);
    Random random = new Random(wallNanos);
    Handshake handshake = new Handshake(identity, random::nextBytes);
    byte[] msg = new byte[Messages.INITIATION_SIZE];
    handshake.createInitiation(msg, 0, random.nextInt(), Tai64n.of(wallNanos), null);
    new CookieGenerator(responderPublic).addMacs(msg, 0, msg.length, 0);
    return msg;
  }
}
