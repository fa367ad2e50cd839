package io.tunnelier.agent.datapath.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {
  @Test
  void rfc1071Example() {
    // RFC 1071 section 3: the sum of 0001 f203 f4f5 f6f7 is ddf2 after folding.
    ByteBuffer b =
        ByteBuffer.wrap(
            new byte[] {0, 1, (byte) 0xf2, 3, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7});
    assertThat(Checksum.fold(Checksum.add(0, b, 0, 8))).isEqualTo(0xddf2);
    assertThat(Checksum.compute(b, 0, 8)).isEqualTo(~0xddf2 & 0xFFFF);
  }

  @Test
  void matchesAPlainSixteenBitSumForEveryLengthAndAlignment() {
    Random random = new Random(7);
    int[] lengths =
        java.util.stream.IntStream.concat(
                java.util.stream.IntStream.range(0, 100),
                java.util.stream.IntStream.of(127, 128, 129, 1000, 1499, 1500, 9001, 65000))
            .toArray();
    for (int length : lengths) {
      for (int offset = 0; offset < 4; offset++) {
        byte[] data = new byte[offset + length];
        random.nextBytes(data);
        ByteBuffer b = ByteBuffer.allocateDirect(data.length).put(0, data);
        assertThat(Checksum.compute(b, offset, length))
            .as("length " + length + " offset " + offset)
            .isEqualTo(naive(data, offset, length));
      }
    }
  }

  @Test
  void copyAndAddCopiesAndSumsLikeACopyThenASum() {
    Random random = new Random(11);
    for (int length : new int[] {0, 1, 15, 16, 63, 64, 65, 100, 1448, 1449, 9000}) {
      for (int from = 0; from < 3; from++) {
        byte[] data = new byte[from + length];
        random.nextBytes(data);
        ByteBuffer src = ByteBuffer.allocateDirect(data.length).put(0, data);
        ByteBuffer dst = ByteBuffer.allocateDirect(length + 5);
        long sum = Checksum.copyAndAdd(7, src, from, dst, 3, length);
        byte[] copied = new byte[length];
        dst.get(3, copied);
        assertThat(copied).isEqualTo(java.util.Arrays.copyOfRange(data, from, from + length));
        assertThat(Checksum.fold(sum)).isEqualTo(Checksum.fold(Checksum.add(7, dst, 3, length)));
      }
    }
  }

  @Test
  void aRegionWithItsChecksumFilledInVerifies() {
    ByteBuffer b = ByteBuffer.wrap(Packets.pattern(101, 3));
    b.putShort(10, (short) 0);
    b.putShort(10, (short) Checksum.compute(b, 0, 101));
    assertThat(Checksum.verify(b, 0, 101)).isTrue();
    b.put(50, (byte) (b.get(50) + 1));
    assertThat(Checksum.verify(b, 0, 101)).isFalse();
  }

  @Test
  void ipv4HeaderChecksumOfAKnownHeader() {
    // Wikipedia's IPv4 header checksum example: checksum b861.
    int[] header = {
      0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00,
      0x01, 0xc0, 0xa8, 0x00, 0xc7
    };
    ByteBuffer b = ByteBuffer.allocate(20);
    for (int i = 0; i < 20; i++) {
      b.put(i, (byte) header[i]);
    }
    IpPacket.ipv4UpdateChecksum(b, 0);
    assertThat(b.getShort(10) & 0xFFFF).isEqualTo(0xb861);
  }

  private static int naive(byte[] d, int off, int len) {
    long sum = 0;
    for (int i = 0; i < len; i += 2) {
      int hi = d[off + i] & 0xFF;
      int lo = i + 1 < len ? d[off + i + 1] & 0xFF : 0;
      sum += (hi << 8) | lo;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) (~sum & 0xFFFF);
  }
}
