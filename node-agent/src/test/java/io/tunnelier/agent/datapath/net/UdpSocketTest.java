package io.tunnelier.agent.datapath.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a received (possibly GRO-coalesced) message is split into batch slots. */
class UdpSocketTest {
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
  })
  void aMessageSplitsIntoSlotsOfItsSegmentSize(int length, int groSegment, int segment, int slots) {
    assertThat(UdpSocket.segmentSize(length, groSegment)).isEqualTo(segment);
    assertThat(UdpSocket.datagramsIn(length, UdpSocket.segmentSize(length, groSegment)))
        .isEqualTo(slots);
  }
}
