package io.tunnelier.agent.datapath.wireguard;

import static io.tunnelier.agent.datapath.wireguard.Constants.*;
import static io.tunnelier.agent.datapath.wireguard.TwoPeers.SECOND;
import static io.tunnelier.agent.datapath.wireguard.TwoPeers.ipv4;
import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.wireguard.noise.Keypair;
import io.tunnelier.agent.datapath.wireguard.noise.Messages;
import org.junit.jupiter.api.Test;

/** The whitepaper's timer rules (section 6), driven by a hand-moved clock. */
class PeerTimersTest {
  private final TwoPeers w = new TwoPeers();

  private static int type(byte[] msg) {
    return Messages.type(msg, 0);
  }

  @Test
  void initiatorRekeysAfterRekeyAfterTimeWhenItSends() {
    w.handshake();
    Keypair first = w.a.peer.currentKeypair();
    // Keep both sides talking so no other timer decides for us.
    for (int i = 0; i < 12; i++) {
      w.advance(10 * SECOND);
      w.a.send(ipv4(60, i));
      w.b.send(ipv4(60, i));
      w.deliverAll();
    }
    assertThat(w.a.peer.currentKeypair()).isSameAs(first);
    w.advance(REKEY_AFTER_TIME - 120 * SECOND + 1 * SECOND);
    w.a.send(ipv4(60, 99));
    // The data still goes out with the old session, then a new initiation follows.
    assertThat(w.a.outbox.stream().map(PeerTimersTest::type))
        .containsExactly(Messages.TYPE_TRANSPORT, Messages.TYPE_INITIATION);
    w.deliverAll();
    assertThat(w.a.peer.currentKeypair()).isNotSameAs(first);
    assertThat(w.a.peer.handshakesCompleted()).isEqualTo(2);
  }

  @Test
  void responderDoesNotRekeyByTime() {
    w.handshake();
    w.advance(REKEY_AFTER_TIME + SECOND);
    w.a.outbox.clear();
    w.b.outbox.clear();
    w.b.send(ipv4(60, 1));
    assertThat(type(w.b.take())).isEqualTo(Messages.TYPE_TRANSPORT);
    assertThat(w.b.outbox).isEmpty();
  }

  @Test
  void afterRejectAfterTimeNothingIsSentWithTheOldSession() {
    w.handshake();
    w.advance(REJECT_AFTER_TIME);
    w.a.outbox.clear();
    w.a.send(ipv4(60, 1));
    assertThat(w.a.outbox.stream().map(PeerTimersTest::type))
        .containsExactly(Messages.TYPE_INITIATION);
    w.deliverAll();
    // The staged packet went out once the new session existed.
    assertThat(w.b.tunnel).containsExactly(ipv4(60, 1));
  }

  @Test
  void afterRejectAfterTimeOldMessagesAreNotAccepted() {
    w.handshake();
    w.a.send(ipv4(60, 1));
    byte[] late = w.a.take();
    w.now += REJECT_AFTER_TIME;
    w.b.receive(late, w.a.source);
    assertThat(w.b.drops).containsExactly(WireGuardDrop.KEYPAIR_EXPIRED.reason());
  }

  @Test
  void receiverSendsKeepaliveAfterKeepaliveTimeoutOfSilence() {
    w.handshake();
    w.a.send(ipv4(60, 1));
    w.deliverAll();
    w.advance(KEEPALIVE_TIMEOUT - 1);
    assertThat(w.b.outbox).isEmpty();
    w.advance(1);
    byte[] keepalive = w.b.take();
    assertThat(keepalive).hasSize(Messages.TRANSPORT_MIN_SIZE);
  }

  @Test
  void noKeepaliveWhenTheReceiverAnsweredWithData() {
    w.handshake();
    w.a.send(ipv4(60, 1));
    w.deliverAll();
    w.b.send(ipv4(60, 2));
    w.b.outbox.clear();
    w.advance(KEEPALIVE_TIMEOUT + SECOND);
    assertThat(w.b.outbox).isEmpty();
  }

  @Test
  void senderStartsNewHandshakeWhenDataGetsNoAnswer() {
    w.handshake();
    w.a.send(ipv4(60, 1));
    w.a.outbox.clear(); // lost
    w.advance(KEEPALIVE_TIMEOUT + REKEY_TIMEOUT - 1);
    assertThat(w.a.outbox).isEmpty();
    w.advance(REKEY_TIMEOUT_JITTER_MAX + 1);
    assertThat(type(w.a.take())).isEqualTo(Messages.TYPE_INITIATION);
  }

  @Test
  void initiationIsRetransmittedAfterRekeyTimeoutPlusJitterThenGivenUp() {
    w.a.send(ipv4(60, 1));
    assertThat(type(w.a.take())).isEqualTo(Messages.TYPE_INITIATION);
    int initiations = 1;
    long start = w.now;
    long lastAt = w.now;
    for (int step = 0; step < 200_000; step++) {
      w.advance(1_000_000L); // 1 ms
      byte[] msg = w.a.take();
      if (msg != null) {
        assertThat(type(msg)).isEqualTo(Messages.TYPE_INITIATION);
        long gap = w.now - lastAt;
        assertThat(gap).isBetween(REKEY_TIMEOUT, REKEY_TIMEOUT + REKEY_TIMEOUT_JITTER_MAX);
        lastAt = w.now;
        initiations++;
      }
    }
    // One initiation, then MAX_TIMER_HANDSHAKES + 1 retries, then silence: ~REKEY_ATTEMPT_TIME.
    assertThat(initiations).isEqualTo(MAX_TIMER_HANDSHAKES + 2);
    assertThat(lastAt - start).isLessThan(REKEY_ATTEMPT_TIME + 2 * REKEY_TIMEOUT);
  }

  @Test
  void keyMaterialIsErasedAfterThreeRejectAfterTimes() {
    w.handshake();
    assertThat(w.a.peer.currentKeypair()).isNotNull();
    w.advance(REJECT_AFTER_TIME * 3);
    assertThat(w.a.peer.currentKeypair()).isNull();
    assertThat(w.b.peer.currentKeypair()).isNull();
  }

  @Test
  void persistentKeepaliveKeepsTheSessionAliveWhenIdle() {
    TwoPeers k = new TwoPeers(25 * SECOND, 0);
    k.handshake();
    k.advance(25 * SECOND - 1);
    assertThat(k.a.outbox).isEmpty();
    k.advance(1);
    assertThat(k.a.take()).hasSize(Messages.TRANSPORT_MIN_SIZE);
  }

  @Test
  void responderSwitchesToTheNewSessionOnlyWhenTheInitiatorUsesIt() {
    w.handshake();
    Keypair first = w.b.peer.currentKeypair();
    w.advance(REKEY_AFTER_TIME + SECOND);
    w.a.send(ipv4(60, 1)); // old session + new initiation
    w.b.receive(w.a.take(), w.a.source); // data on the old session
    w.b.receive(w.a.take(), w.a.source); // initiation: b now holds a "next" keypair
    assertThat(w.b.peer.currentKeypair()).isSameAs(first);
    w.deliverAll(); // response, then a's keepalive on the new session
    assertThat(w.b.peer.currentKeypair()).isNotSameAs(first);
    assertThat(w.b.tunnel).containsExactly(ipv4(60, 1));
  }

  @Test
  void messagesInFlightWithThePreviousSessionStillArrive() {
    w.handshake();
    w.advance(REKEY_AFTER_TIME + SECOND);
    w.a.send(ipv4(60, 1));
    byte[] oldData = w.a.take();
    w.deliverAll(); // rekey completes
    w.b.receive(oldData, w.a.source);
    assertThat(w.b.tunnel).containsExactly(ipv4(60, 1));
  }
}
