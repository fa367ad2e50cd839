package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tunnelier.agent.datapath.wireguard.noise.CookieGenerator;
import io.tunnelier.agent.datapath.wireguard.noise.Messages;
import java.util.Set;

/**
 * Fuzz target for what anyone who can reach a WireGuard port controls: every datagram type at every
 * length, to a peer with an established session. Mutated messages may get their MAC1 recomputed (as
 * an attacker knowing the public key can), so the fuzzer reaches the handshake and transport code
 * behind it. Nothing may throw, what comes out must be a known action, and the session must still
 * carry data afterwards.
 *
 * <p>Regression mode in the unit run (seeds under {@code PeerFuzzTestInputs/}); to fuzz for real:
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl node-agent -am test -Dtest='PeerFuzzTest' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration=10m
 * </pre>
 */
class PeerFuzzTest {
  private static final byte[] STRANGER = {(byte) 198, 51, 100, 9, 0x1f, 0x40};
  private static final Set<Integer> SIZES =
      Set.of(
          Messages.INITIATION_SIZE,
          Messages.RESPONSE_SIZE,
          Messages.COOKIE_REPLY_SIZE,
          Messages.TRANSPORT_MIN_SIZE);

  @FuzzTest(maxDuration = "30s")
  void decapsulate(FuzzedDataProvider data) {
    TwoPeers w = new TwoPeers();
    w.handshake();
    w.a.outbox.clear();
    w.b.outbox.clear();
    int datagrams = data.consumeInt(1, 8);
    for (int d = 0; d < datagrams && data.remainingBytes() > 0; d++) {
      int type = data.consumeInt(0, 5);
      int length =
          data.consumeBoolean()
              ? SIZES.stream().skip(data.consumeInt(0, SIZES.size() - 1)).findFirst().orElseThrow()
              : data.consumeInt(0, 1600);
      byte[] msg = new byte[length];
      byte[] body = data.consumeBytes(length);
      System.arraycopy(body, 0, msg, 0, body.length);
      if (length >= 4) {
        msg[0] = (byte) type;
        msg[1] = 0;
        msg[2] = 0;
        msg[3] = 0;
      }
      if ((length == Messages.INITIATION_SIZE || length == Messages.RESPONSE_SIZE)
          && data.consumeBoolean()) {
        new CookieGenerator(w.b.publicKey).addMacs(msg, 0, length, 0);
      }
      w.b.receive(msg, data.consumeBoolean() ? w.a.source : STRANGER);
      w.now += data.consumeLong(0, TwoPeers.SECOND);
    }
    // Whatever arrived, b answered at most with well-formed handshake messages.
    for (byte[] out : w.b.outbox) {
      assertThat(out.length)
          .isIn(
              Messages.RESPONSE_SIZE,
              Messages.COOKIE_REPLY_SIZE,
              Messages.INITIATION_SIZE,
              Messages.TRANSPORT_MIN_SIZE);
    }
    assertThat(w.b.tunnel).allMatch(p -> p.length > 0 && p.length <= 1600);
    // No datagram without a's keys can end the session: data still flows.
    w.b.tunnel.clear();
    w.a.send(TwoPeers.ipv4(64, 3));
    w.deliverAll();
    assertThat(w.b.tunnel).hasSize(1);
  }
}
