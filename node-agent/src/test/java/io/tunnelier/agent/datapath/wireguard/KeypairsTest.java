package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.wireguard.noise.Entropy;
import io.tunnelier.agent.datapath.wireguard.noise.Keypair;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeypairsTest {
  private final Keypairs keypairs = new Keypairs();

  private static Keypair session(int localIndex, boolean initiator) {
    return new Keypair(new byte[32], new byte[32], localIndex, 100 + localIndex, initiator, 0);
  }

  @Test
  void aRespondersSessionWaitsInNextUntilTheInitiatorUsesIt() {
    Keypair first = session(1, false);
    keypairs.responderDerived(first);
    assertThat(keypairs.current()).isNull();
    assertThat(keypairs.find(1)).isSameAs(first);
    assertThat(keypairs.confirm(session(9, false))).isFalse();
    assertThat(keypairs.confirm(first)).isTrue();
    assertThat(keypairs.current()).isSameAs(first);
    assertThat(keypairs.confirm(first)).isFalse();
  }

  @Test
  void anInitiatorsSessionIsCurrentAtOnceAndTheOldOneStillReceives() {
    Keypair old = session(1, true);
    Keypair fresh = session(2, true);
    keypairs.initiatorDerived(old);
    keypairs.initiatorDerived(fresh);
    assertThat(keypairs.current()).isSameAs(fresh);
    assertThat(keypairs.find(1)).isSameAs(old);
    assertThat(keypairs.find(3)).isNull();
    keypairs.clear();
    assertThat(keypairs.find(1)).isNull();
    assertThat(keypairs.find(2)).isNull();
    assertThat(keypairs.current()).isNull();
  }

  @Test
  void aPendingNextBecomesPreviousWhenThisEndsOwnHandshakeCompletes() {
    Keypair waiting = session(1, false);
    Keypair mine = session(2, true);
    keypairs.responderDerived(waiting);
    keypairs.initiatorDerived(mine);
    assertThat(keypairs.current()).isSameAs(mine);
    assertThat(keypairs.find(1)).isSameAs(waiting);
    assertThat(keypairs.confirm(waiting)).isFalse();
  }

  /** A session whose keys are not zeros, so that a wipe shows. */
  private static Keypair keyed(int localIndex, boolean initiator) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) localIndex);
    return new Keypair(key, key, localIndex, 100 + localIndex, initiator, 0);
  }

  @Test
  void aSessionLeavingTheLastSlotIsWipedAndNoOtherIs() {
    Keypair first = keyed(1, true);
    Keypair second = keyed(2, true);
    Keypair third = keyed(3, true);
    keypairs.initiatorDerived(first);
    keypairs.initiatorDerived(second);
    assertThat(first.wiped()).as("previous still receives").isFalse();
    keypairs.initiatorDerived(third);
    assertThat(first.wiped()).isTrue();
    assertThat(second.wiped()).isFalse();

    Keypair waiting = keyed(4, false);
    keypairs.responderDerived(waiting);
    assertThat(second.wiped()).as("previous dropped").isTrue();
    Keypair replaced = waiting;
    waiting = keyed(5, false);
    keypairs.responderDerived(waiting);
    assertThat(replaced.wiped()).as("next replaced").isTrue();
    assertThat(keypairs.confirm(waiting)).isTrue();
    assertThat(third.wiped()).as("now previous").isFalse();

    Keypair pending = keyed(6, false);
    Keypair mine = keyed(7, true);
    keypairs.responderDerived(pending);
    keypairs.initiatorDerived(mine);
    assertThat(waiting.wiped()).as("current replaced while next was pending").isTrue();
    assertThat(pending.wiped()).isFalse();
    assertThat(mine.wiped()).isFalse();

    keypairs.clear();
    assertThat(pending.wiped()).isTrue();
    assertThat(mine.wiped()).isTrue();
  }

  @Test
  void freshIndicesAvoidEverySessionAndThePendingHandshake() {
    keypairs.initiatorDerived(session(5, true));
    // Each index draws nextInt(2^31 - 1) then one bit for the sign: 5 (taken), 6 (pending), 7.
    ArrayDeque<Integer> draws = new ArrayDeque<>(List.of(5, 0, 6, 0, 7, 0));
    Entropy scripted =
        bytes -> {
          int v = draws.removeFirst();
          bytes[0] = (byte) (v >>> 24);
          bytes[1] = (byte) (v >>> 16);
          bytes[2] = (byte) (v >>> 8);
          bytes[3] = (byte) v;
        };
    assertThat(keypairs.unusedIndex(scripted, 6)).isEqualTo(7);
  }
}
