package io.tunnelier.agent.datapath.tun;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tunnelier.agent.datapath.net.PacketBatch;
import java.nio.ByteBuffer;

/**
 * Fuzz target for a TUN read with a virtio-net header (what {@code LinuxTunDevice.readOneVnet} does
 * with it): a super-packet with any header values and any bytes is either refused by {@link
 * TsoSegmenter#valid} or cut into segments that fit the batch. Nothing may throw.
 *
 * <p>Regression mode in the unit run; to fuzz: {@code JAZZER_FUZZ=1 ./mvnw -B -pl node-agent -am
 * test -Dtest='TsoSegmenterFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
 * -Djazzer.max_duration=10m}
 */
class TsoSegmenterFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void segment(FuzzedDataProvider data) {
    boolean ipv4 = data.consumeBoolean();
    int csumStart = data.consumeInt(0, 120);
    int gsoSize = data.consumeInt(-1, 9000);
    byte[] packet = data.consumeRemainingAsBytes();
    ByteBuffer src = ByteBuffer.wrap(packet);
    if (!TsoSegmenter.valid(src, 0, packet.length, ipv4, csumStart, gsoSize)) {
      return;
    }
    int header = TsoSegmenter.headerLength(src, 0, packet.length, csumStart);
    assertThat(header).isPositive().isLessThanOrEqualTo(packet.length);
    int segments = TsoSegmenter.segmentCount(packet.length, header, gsoSize);
    PacketBatch dst = new PacketBatch(64, PacketBatch.DEFAULT_HEADROOM, 2048);
    if (header + gsoSize > dst.maxPacket()) {
      return; // the device refuses these before segmenting
    }
    int first = 0;
    for (int rounds = 0; first < segments && rounds < 1000; rounds++) {
      dst.clear();
      int next = TsoSegmenter.segment(src, 0, packet.length, ipv4, csumStart, gsoSize, first, dst);
      assertThat(next).isGreaterThanOrEqualTo(first).isLessThanOrEqualTo(segments);
      for (int i = 0; i < dst.count(); i++) {
        assertThat(dst.length(i)).isPositive().isLessThanOrEqualTo(header + gsoSize);
      }
      if (next == first) {
        break;
      }
      first = next;
    }
  }
}
