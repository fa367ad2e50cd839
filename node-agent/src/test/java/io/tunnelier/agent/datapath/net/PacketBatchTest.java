package io.tunnelier.agent.datapath.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacketBatchTest {
  @Test
  void packetsStartAfterTheHeadroomAndHeadersGrowIntoIt() {
    PacketBatch batch = new PacketBatch(4, 64, 1500);
    assertThat(batch.slotSize() % 64).isZero();
    assertThat(batch.maxPacket()).isGreaterThanOrEqualTo(1500);
    int i = batch.add(Packets.pattern(100, 1));
    assertThat(batch.offset(i)).isEqualTo(batch.slotStart(i) + 64);
    int o = batch.prepend(i, 8);
    assertThat(o).isEqualTo(batch.slotStart(i) + 56);
    assertThat(batch.length(i)).isEqualTo(108);
    assertThat(batch.strip(i, 8)).isEqualTo(batch.slotStart(i) + 64);
    assertThat(batch.toArray(i)).isEqualTo(Packets.pattern(100, 1));
  }

  @Test
  void aPacketCannotLeaveItsSlot() {
    PacketBatch batch = new PacketBatch(2, 8, 100);
    int i = batch.add(10);
    assertThatThrownBy(() -> batch.prepend(i, 9)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> batch.set(i, batch.slotStart(i), batch.slotSize() + 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void addReturnsMinusOneWhenFull() {
    PacketBatch batch = new PacketBatch(2, 0, 10);
    assertThat(batch.add(1)).isZero();
    assertThat(batch.add(1)).isEqualTo(1);
    assertThat(batch.add(1)).isEqualTo(-1);
    batch.clear();
    assertThat(batch.count()).isZero();
  }

  @Test
  void aCompleteSumGivesTheSumOfAnySuffixUntilTheEndMoves() {
    PacketBatch batch = new PacketBatch(1, 16, 2000);
    byte[] data = Packets.pattern(1500, 9);
    int i = batch.add(data);
    int start = batch.offset(i);
    batch.setCompleteSum(i, start, Checksum.fold(Checksum.add(0, batch.buffer(), start, 1500)));
    for (int from : new int[] {0, 2, 24, 44, 1498, 1500}) {
      int expected = Checksum.fold(Checksum.add(0, batch.buffer(), start + from, 1500 - from));
      // Equal in one's complement arithmetic, where 0xFFFF and 0 are both zero.
      assertThat(batch.completeSumFrom(i, start + from) % 0xFFFF)
          .as("from " + from)
          .isEqualTo(expected % 0xFFFF);
    }
    assertThat(batch.completeSumFrom(i, start + 3)).as("odd offset").isEqualTo(-1);
    batch.strip(i, 4); // a header stripped: the end stays, the sum stays
    assertThat(batch.completeSumFrom(i, start + 4)).isNotNegative();
    batch.set(i, batch.offset(i), 100); // the end moved: the sum is gone
    assertThat(batch.completeSumFrom(i, start + 4)).isEqualTo(-1);
  }

  @Test
  void sourcesAreKeptPerSlot() {
    PacketBatch batch = new PacketBatch(2, 0, 10);
    Endpoint a = Endpoint.ipv4(0xC0000201, 1);
    batch.setSource(0, a);
    batch.copySource(0, 1);
    assertThat(batch.sourceMatches(1, a, true)).isTrue();
    assertThat(batch.source(1)).isEqualTo(a);
  }

  @Test
  void aViewLiesAnywhereInTheBufferUntilItIsPlacedInItsSlotAgain() {
    PacketBatch batch = new PacketBatch(4, 16, 100);
    int far = batch.slotStart(3) + 10; // slot 3's memory, as packet 0
    batch.buffer().put(far, new byte[] {0x45, 1, 2, 3, 4, 5});
    batch.setView(0, far, 6);
    batch.setCount(1);
    assertThat(batch.isView(0)).isTrue();
    assertThat(batch.toArray(0)).containsExactly(0x45, 1, 2, 3, 4, 5);
    batch.strip(0, 2); // headers come off a view as off any packet
    assertThat(batch.toArray(0)).containsExactly(2, 3, 4, 5);
    assertThatThrownBy(() -> batch.prepend(0, 2)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> batch.setView(1, batch.slotEnd(3) - 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    batch.setAfterHeadroom(0, 4);
    assertThat(batch.isView(0)).isFalse();
    assertThat(batch.offset(0)).isEqualTo(16);
    assertThatThrownBy(() -> batch.set(0, far, 4)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
