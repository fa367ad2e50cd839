package io.tunnelier.agent.datapath.wireguard.noise;

import static io.tunnelier.agent.datapath.wireguard.Constants.REJECT_AFTER_MESSAGES;
import static io.tunnelier.agent.datapath.wireguard.Constants.REJECT_AFTER_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeypairTest {
  private static Keypair keypair(long firstCounter) {
    return new Keypair(new byte[32], new byte[32], 1, 2, true, 0, firstCounter);
  }

  @Test
  void countersRunUpToRejectAfterMessagesAndNoFurther() {
    Keypair k = keypair(REJECT_AFTER_MESSAGES - 2);
    assertThat(k.nextSendCounter(1)).isEqualTo(REJECT_AFTER_MESSAGES - 2);
    assertThat(k.nextSendCounter(1)).isEqualTo(REJECT_AFTER_MESSAGES - 1);
    assertThat(k.nextSendCounter(1)).isEqualTo(-1);
    assertThat(k.nextSendCounter(1)).isEqualTo(-1);
  }

  @Test
  void nothingIsSentOrAcceptedAfterRejectAfterTime() {
    Keypair k = keypair(0);
    assertThat(k.nextSendCounter(REJECT_AFTER_TIME - 1)).isZero();
    assertThat(k.receivable(REJECT_AFTER_TIME - 1)).isTrue();
    assertThat(k.nextSendCounter(REJECT_AFTER_TIME)).isEqualTo(-1);
    assertThat(k.receivable(REJECT_AFTER_TIME)).isFalse();
  }

  @Test
  void receivedCountersAtTheLimitAreRefused() {
    Keypair k = keypair(0);
    assertThat(k.acceptCounter(REJECT_AFTER_MESSAGES - 1)).isTrue();
    assertThat(k.acceptCounter(REJECT_AFTER_MESSAGES)).isFalse();
    assertThat(k.acceptCounter(-1L)).isFalse();
  }
}
