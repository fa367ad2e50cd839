package io.tunnelier.agent.datapath.tun;

import static io.tunnelier.agent.datapath.net.Packets.TCP_ACK;
import static io.tunnelier.agent.datapath.net.Packets.TCP_PSH;
import static io.tunnelier.agent.datapath.net.Packets.TCP_SYN;
import static io.tunnelier.agent.datapath.tun.TsoSegmenterTest.A;
import static io.tunnelier.agent.datapath.tun.TsoSegmenterTest.B;
import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.IpPacket;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.net.Packets;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpCoalescerTest {
  private final PacketBatch batch = new PacketBatch(16, 64, 1500);
  private final TcpCoalescer coalescer = new TcpCoalescer(16);
  private final ByteBuffer vnet = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());

  private static byte[] segment(int sport, int seq, int flags, int window, int size) {
    return Packets.ipv4(
        A, B, 6, true, Packets.tcp(sport, 5201, seq, 9, flags, window, 777, new byte[size]));
  }

  @Test
  void mergesInOrderSegmentsIntoOneSuperPacketTheKernelAccepts() {
    byte[] payload = Packets.pattern(3500, 5);
    byte[] big =
        Packets.ipv4(A, B, 6, true, Packets.tcp(1, 2, 100, 9, TCP_ACK | TCP_PSH, 64, 5, payload));
    ByteBuffer src = ByteBuffer.allocateDirect(big.length).put(0, big);
    TsoSegmenter.segment(src, 0, big.length, true, 20, 1200, 0, batch);
    assertThat(batch.count()).isEqualTo(3);

    coalescer.plan(batch);
    assertThat(coalescer.writeCount()).isEqualTo(1);
    int head = coalescer.write(0);
    assertThat(coalescer.chainLength(head)).isEqualTo(3);
    coalescer.finishHead(batch, head, vnet, 0);
    assertThat(VirtioNetHeader.gsoType(vnet, 0)).isEqualTo(VirtioNetHeader.GSO_TCPV4);
    assertThat(VirtioNetHeader.gsoSize(vnet, 0)).isEqualTo(1200);
    assertThat(VirtioNetHeader.flags(vnet, 0)).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
    assertThat(VirtioNetHeader.hdrLen(vnet, 0)).isEqualTo(52);
    assertThat(VirtioNetHeader.csumStart(vnet, 0)).isEqualTo(20);
    assertThat(VirtioNetHeader.csumOffset(vnet, 0)).isEqualTo(16);

    // What the kernel sees: the head, then each member's payload.
    byte[] merged = merged(head);
    ByteBuffer m = ByteBuffer.wrap(merged);
    assertThat(IpPacket.ipv4TotalLength(m, 0)).isEqualTo(merged.length).isEqualTo(big.length);
    assertThat(m.get(33) & TCP_PSH).as("PSH of the last segment").isNotZero();
    assertThat(TsoSegmenter.completeChecksum(m, 0, merged.length, 20, 16)).isTrue();
    assertThat(Packets.transportChecksumValid(m, 0, merged.length)).isTrue();
    assertThat(java.util.Arrays.copyOfRange(merged, 52, merged.length)).isEqualTo(payload);
  }

  @Test
  void outOfOrderSegmentsAreWrittenSeparatelyInArrivalOrder() {
    add(segment(1, 0, TCP_ACK, 64, 100));
    add(segment(1, 200, TCP_ACK, 64, 100));
    add(segment(1, 100, TCP_ACK, 64, 100));
    coalescer.plan(batch);
    assertThat(writes()).containsExactly(0, 1, 2);
  }

  @Test
  void interleavedFlowsEachFormAChain() {
    add(segment(1, 0, TCP_ACK, 64, 100));
    add(segment(2, 0, TCP_ACK, 64, 100));
    add(segment(1, 100, TCP_ACK, 64, 100));
    add(segment(2, 100, TCP_ACK, 64, 100));
    coalescer.plan(batch);
    assertThat(writes()).containsExactly(0, 1);
    assertThat(coalescer.next(0)).isEqualTo(2);
    assertThat(coalescer.next(1)).isEqualTo(3);
  }

  @Test
  void aSegmentWithABadChecksumIsNotMergedAndTheFlowStaysInOrder() {
    add(segment(1, 0, TCP_ACK, 64, 100));
    int bad = add(segment(1, 100, TCP_ACK, 64, 100));
    batch.buffer().put(batch.offset(bad) + 60, (byte) 1);
    add(segment(1, 200, TCP_ACK, 64, 100));
    coalescer.plan(batch);
    assertThat(writes()).containsExactly(0, 1, 2);
  }

  @Test
  void differentWindowSynOrLargerSegmentEndsAChain() {
    add(segment(1, 0, TCP_ACK, 64, 100));
    add(segment(1, 100, TCP_ACK, 65, 100)); // window changed
    add(segment(1, 200, TCP_SYN | TCP_ACK, 65, 100)); // not a plain ACK segment
    add(segment(1, 300, TCP_ACK, 65, 50));
    add(segment(1, 350, TCP_ACK, 65, 100)); // larger than the chain's segment size
    coalescer.plan(batch);
    assertThat(writes()).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void aShorterSegmentClosesTheChainAndNonTcpPassesThrough() {
    add(segment(1, 0, TCP_ACK, 64, 100));
    add(Packets.ipv4(A, B, 17, false, Packets.udp(1, 2, new byte[10])));
    add(segment(1, 100, TCP_ACK, 64, 40));
    add(segment(1, 140, TCP_ACK, 64, 40));
    coalescer.plan(batch);
    assertThat(writes()).containsExactly(0, 1, 3);
    assertThat(coalescer.chainLength(0)).isEqualTo(2);
  }

  @Test
  void aLonePacketGetsAnEmptyVirtioHeader() {
    add(segment(1, 0, TCP_ACK, 64, 100));
    coalescer.plan(batch);
    vnet.put(0, (byte) 7);
    coalescer.finishHead(batch, 0, vnet, 0);
    assertThat(vnet.getLong(0)).isZero();
    assertThat(Packets.transportChecksumValid(batch.buffer(), batch.offset(0), batch.length(0)))
        .isTrue();
  }

  private int add(byte[] p) {
    return batch.add(p);
  }

  private List<Integer> writes() {
    List<Integer> out = new ArrayList<>();
    for (int w = 0; w < coalescer.writeCount(); w++) {
      out.add(coalescer.write(w));
    }
    return out;
  }

  private byte[] merged(int head) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] h = batch.toArray(head);
    out.write(h, 0, h.length);
    for (int p = coalescer.next(head); p >= 0; p = coalescer.next(p)) {
      byte[] s = batch.toArray(p);
      int skip = TcpCoalescer.headerLength(batch, p);
      out.write(s, skip, s.length - skip);
    }
    return out.toByteArray();
  }
}
