package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StagedPacketsTest {
  private final StagedPackets staged = new StagedPackets();

  private static byte[] packet(int id, int length) {
    byte[] p = new byte[length];
    p[0] = (byte) id;
    p[length - 1] = (byte) id;
    return p;
  }

  @Test
  void packetsComeOutInOrderAndTheOldestMakeRoomWhenFull() {
    for (int i = 0; i < StagedPackets.CAPACITY + 2; i++) {
      staged.add(packet(i, 60 + i), 0, 60 + i);
    }
    byte[] into = new byte[4096];
    for (int i = 2; i < StagedPackets.CAPACITY + 2; i++) {
      assertThat(staged.isEmpty()).isFalse();
      int length = staged.takeInto(into, 16);
      assertThat(length).isEqualTo(60 + i);
      assertThat(into[16]).isEqualTo((byte) i);
      assertThat(into[16 + length - 1]).isEqualTo((byte) i);
    }
    assertThat(staged.isEmpty()).isTrue();
  }

  @Test
  void aPacketIsCopiedFromItsOffsetAndClearEmptiesTheQueue() {
    byte[] buf = new byte[100];
    buf[10] = 42;
    buf[12] = 43;
    staged.add(buf, 10, 3);
    byte[] into = new byte[8];
    assertThat(staged.takeInto(into, 0)).isEqualTo(3);
    assertThat(into).startsWith(42, 0, 43);
    staged.add(buf, 0, 50);
    staged.clear();
    assertThat(staged.isEmpty()).isTrue();
  }
}
