package io.tunnelier.agent.datapath.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How received (possibly GRO-coalesced) messages are split into batch slots. */
class GroSplitterTest {
  @ParameterizedTest(name = "length={0} gro={1}: segment {2}, {3} slots")
  @CsvSource({
    // an empty datagram (anyone can send one): one empty slot, no division by zero
    "0, 0, 0, 1",
    "0, -1, 0, 1",
    "0, 1400, 0, 1",
    // no GRO segment size reported: the message is one datagram
    "1, 0, 1, 1",
    "1400, 0, 1400, 1",
    "1400, -1, 1400, 1",
    // coalesced: equal segments, the last one may be shorter
    "2800, 1400, 1400, 2",
    "2801, 1400, 1400, 3",
    "65000, 1000, 1000, 65",
    // a segment size beyond the message: one datagram
    "100, 1400, 100, 1",
    // no overflow where length + segment - 1 would wrap
    "2147483647, 2147483646, 2147483646, 2",
  })
  void aMessageSplitsIntoSlotsOfItsSegmentSize(int length, int groSegment, int segment, int slots) {
    assertThat(GroSplitter.segmentSize(length, groSegment)).isEqualTo(segment);
    assertThat(GroSplitter.datagramsIn(length, GroSplitter.segmentSize(length, groSegment)))
        .isEqualTo(slots);
  }

  @Test
  void messagesStayWholeInABatchUnlessOneAloneIsLarger() {
    // lengths and GRO segment sizes: 3 datagrams, an empty one, 5 datagrams, 1 too big for a slot
    int[] lengths = {3000, 0, 5000, 2000};
    int[] segments = {1000, 0, 1000, 0};
    GroSplitter split = new GroSplitter(messages(lengths, segments));
    split.start(lengths.length);
    assertThat(batch(split, 4, 1500))
        .containsExactly("0@0+1000", "0@1000+1000", "0@2000+1000", "1@0+0");
    assertThat(split.pending()).isTrue();
    // the third message holds 5 datagrams, more than a batch of 4: it continues in the next one
    assertThat(batch(split, 4, 1500))
        .containsExactly("2@0+1000", "2@1000+1000", "2@2000+1000", "2@3000+1000");
    assertThat(batch(split, 4, 1500)).containsExactly("2@4000+1000", "3@0+0");
    assertThat(split.pending()).isFalse();
    assertThat(batch(split, 4, 1500)).isEmpty();
  }

  /** One batch: message@offset+slotLength per slot. */
  private static List<String> batch(GroSplitter split, int capacity, int maxPacket) {
    List<String> slots = new ArrayList<>();
    while (split.next(slots.size(), capacity, maxPacket)) {
      slots.add(split.message() + "@" + split.offset() + "+" + split.slotLength());
    }
    return slots;
  }

  static GroSplitter.Messages messages(int[] lengths, int[] segments) {
    return new GroSplitter.Messages() {
      @Override
      public int length(int message) {
        return lengths[message];
      }

      @Override
      public int groSegment(int message) {
        return segments[message];
      }
    };
  }
}
