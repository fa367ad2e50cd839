package io.tunnelier.agent.datapath.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzz target for the UDP GRO receive split ({@link GroSplitter}, what {@code
 * UdpSocket.receiveCoalesced} walks): any message lengths, any reported GRO segment sizes (zero,
 * negative, larger than the message), any batch size and slot size. Nothing may throw, and the
 * slots handed out must cover each message's bytes exactly, in order, each datagram 1..segment
 * bytes (an empty message: one empty slot, a drop), in a bounded number of receives.
 *
 * <p>Input: byte 0 the batch's slots (1..128), bytes 1-2 a slot's size in bytes (0..65535), byte 3
 * the number of messages (0..8), then per message its length and GRO segment size as two big-endian
 * ints (missing bytes read as 0). The arithmetic is checked on the ints as given; the walk takes
 * lengths outside -1..65536 (the kernel fills at most a 64 KiB buffer) modulo 65537.
 *
 * <p>Regression mode in the unit run (seeds under {@code GroSplitterFuzzTestInputs/}); to fuzz:
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl node-agent -am test -Dtest='GroSplitterFuzzTest' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration=10m
 * </pre>
 */
class GroSplitterFuzzTest {
  private static final int GRO_BUFFER = 65536;
  private static final int GRO_MESSAGES = 8;

  @FuzzTest(maxDuration = "30s")
  void split(byte[] data) {
    ByteBuffer in = ByteBuffer.wrap(data);
    int capacity = (u8(in) & 0x7f) + 1;
    int maxPacket = (u8(in) << 8) | u8(in);
    int messages = u8(in) % (GRO_MESSAGES + 1);
    int[] lengths = new int[messages];
    int[] groSegments = new int[messages];
    for (int m = 0; m < messages; m++) {
      int length = s32(in);
      groSegments[m] = s32(in);
      arithmetic(length, groSegments[m]);
      lengths[m] = length >= -1 && length <= GRO_BUFFER ? length : Math.floorMod(length, 65537);
    }

    GroSplitter split = new GroSplitter(GroSplitterTest.messages(lengths, groSegments));
    split.start(messages);
    int[] covered = new int[messages]; // bytes handed out so far, per message
    int[] slots = new int[messages];
    long datagrams = 0;
    long expectedDrops = 0;
    for (int m = 0; m < messages; m++) {
      int segment = GroSplitter.segmentSize(lengths[m], groSegments[m]);
      int n = lengths[m] < 0 ? 0 : GroSplitter.datagramsIn(lengths[m], segment);
      datagrams += n;
      if (lengths[m] == 0) {
        expectedDrops++;
      } else if (lengths[m] > 0 && segment > maxPacket) {
        // every datagram but the last has the segment's size
        expectedDrops += n - 1 + (lengths[m] - (long) (n - 1) * segment > maxPacket ? 1 : 0);
      }
    }

    long drops = 0;
    int current = 0; // the first message not yet complete
    int receives = 0;
    while (split.pending()) {
      if (++receives > datagrams + 1) {
        fail("no progress after " + receives + " receives");
      }
      int count = 0;
      int firstWholeMessage = -1; // a message started in this batch at a slot above 0
      while (split.next(count, capacity, maxPacket)) {
        int m = split.message();
        while (current < messages && lengths[current] < 0) {
          current++; // holds nothing
        }
        if (m != current) {
          fail("message " + m + " out of order, expected " + current);
        }
        int length = lengths[m];
        int segment = GroSplitter.segmentSize(length, groSegments[m]);
        int len = split.length();
        if (split.offset() != covered[m]) {
          fail("gap or overlap in message " + m);
        }
        if (length == 0) {
          if (!(len == 0 && slots[m] == 0)) {
            fail("an empty message takes exactly one empty slot");
          }
        } else {
          if (!(len >= 1 && len <= segment)) {
            fail("datagram of " + len + " with segment " + segment);
          }
          if (split.offset() + len > length) {
            fail("datagram beyond its message");
          }
        }
        if (split.slotLength() != (len > maxPacket ? 0 : len)) {
          fail("slot length " + len);
        }
        if (split.slotLength() == 0) {
          drops++;
        }
        if (split.offset() == 0 && count > 0) {
          firstWholeMessage = m;
        }
        covered[m] += len;
        slots[m]++;
        if (covered[m] == length) {
          current = m + 1;
        }
        count++;
        if (count > capacity) {
          fail("more slots than the batch has");
        }
      }
      if (count == 0) {
        fail("a receive with datagrams pending handed out none");
      }
      if (firstWholeMessage >= 0) {
        if (covered[firstWholeMessage] != Math.max(0, lengths[firstWholeMessage])) {
          fail("message " + firstWholeMessage + " split across batches without need");
        }
      }
    }
    for (int m = 0; m < messages; m++) {
      int length = lengths[m];
      int expectedSlots =
          length < 0
              ? 0
              : GroSplitter.datagramsIn(length, GroSplitter.segmentSize(length, groSegments[m]));
      if (covered[m] != Math.max(0, length)) {
        fail("message " + m + " not covered exactly");
      }
      if (slots[m] != expectedSlots) {
        fail("message " + m + ": " + slots[m] + " slots");
      }
    }
    assertThat(drops).isEqualTo(expectedDrops);
    assertThat(split.next(0, capacity, maxPacket)).isFalse();
  }

  /** segmentSize and datagramsIn on any ints: a count that covers the length, no overflow. */
  private static void arithmetic(int length, int groSegment) {
    int segment = GroSplitter.segmentSize(length, groSegment);
    int n = GroSplitter.datagramsIn(length, segment);
    if (length <= 0) {
      if (n != 1) {
        fail("an empty message takes one slot");
      }
      return;
    }
    if (!(segment >= 1 && segment <= length)) {
      fail("segment " + segment + " of " + length);
    }
    if (!(n >= 1 && (long) (n - 1) * segment < length && length <= (long) n * segment)) {
      fail(n + " datagrams of " + segment + " for " + length);
    }
  }

  /** Built only on failure: the per-slot checks must not allocate (fuzzing speed). */
  private static void fail(String what) {
    throw new AssertionError(what);
  }

  private static int u8(ByteBuffer in) {
    return in.hasRemaining() ? in.get() & 0xff : 0;
  }

  private static int s32(ByteBuffer in) {
    return (u8(in) << 24) | (u8(in) << 16) | (u8(in) << 8) | u8(in);
  }
}
