package io.tunnelier.agent.datapath.tun;

import static io.tunnelier.agent.datapath.net.Packets.TCP_ACK;
import static io.tunnelier.agent.datapath.net.Packets.TCP_FIN;
import static io.tunnelier.agent.datapath.net.Packets.TCP_PSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.IpPacket;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.net.Packets;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TsoSegmenterTest {
  static final int A = Packets.ipv4("100.64.0.1");
  static final int B = Packets.ipv4("100.64.0.2");
  static final byte[] A6 =
      new byte[] {0x20, 1, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static final byte[] B6 =
      new byte[] {0x20, 1, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

  static byte[] superPacket4(byte[] payload, int flags) {
    return Packets.ipv4(
        A, B, 6, true, Packets.tcp(40000, 5201, 1000, 77, flags, 500, 12345, payload));
  }

  @Test
  void splitsAnIpv4SuperPacketLikeTheKernel() {
    byte[] payload = Packets.pattern(4000, 9);
    byte[] big = superPacket4(payload, TCP_ACK | TCP_PSH | TCP_FIN);
    ByteBuffer src = ByteBuffer.allocateDirect(big.length).put(0, big);
    assertThat(TsoSegmenter.valid(src, 0, big.length, true, 20, 1448)).isTrue();
    PacketBatch out = new PacketBatch(8, 64, 1500);
    int done = TsoSegmenter.segment(src, 0, big.length, true, 20, 1448, 0, out);
    assertThat(done).isEqualTo(3);
    assertThat(out.count()).isEqualTo(3);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    ByteBuffer b = out.buffer();
    for (int i = 0; i < 3; i++) {
      int ip = out.offset(i);
      int len = out.length(i);
      int chunk = i < 2 ? 1448 : 4000 - 2 * 1448;
      assertThat(len).isEqualTo(20 + 32 + chunk);
      assertThat(IpPacket.ipv4TotalLength(b, ip)).isEqualTo(len);
      assertThat(b.getShort(ip + 4) & 0xFFFF).isEqualTo(0x1234 + i);
      assertThat(io.tunnelier.agent.datapath.net.Checksum.verify(b, ip, 20)).isTrue();
      assertThat(b.getInt(ip + 20 + 4)).isEqualTo(1000 + i * 1448);
      int flags = b.get(ip + 20 + 13) & 0xFF;
      assertThat(flags).isEqualTo(i < 2 ? TCP_ACK : TCP_ACK | TCP_PSH | TCP_FIN);
      assertThat(Packets.transportChecksumValid(b, ip, len)).as("segment " + i).isTrue();
      byte[] seg = out.toArray(i);
      joined.write(seg, 52, seg.length - 52);
    }
    assertThat(joined.toByteArray()).isEqualTo(payload);
  }

  @Test
  void splitsAnIpv6SuperPacket() {
    byte[] payload = Packets.pattern(3000, 4);
    byte[] big = Packets.ipv6(A6, B6, 6, Packets.tcp(1, 2, -5, 0, TCP_ACK, 100, 0, payload));
    ByteBuffer src = ByteBuffer.allocateDirect(big.length).put(0, big);
    PacketBatch out = new PacketBatch(8, 64, 1500);
    assertThat(TsoSegmenter.segment(src, 0, big.length, false, 40, 1000, 0, out)).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      ByteBuffer b = out.buffer();
      int ip = out.offset(i);
      assertThat(IpPacket.ipv6PayloadLength(b, ip)).isEqualTo(20 + 1000);
      assertThat(b.getInt(ip + 40 + 4)).isEqualTo(-5 + i * 1000); // sequence wraps
      assertThat(Packets.transportChecksumValid(b, ip, out.length(i))).isTrue();
    }
  }

  @Test
  void resumesWhereAFullBatchStopped() {
    byte[] big = superPacket4(Packets.pattern(5000, 1), TCP_ACK);
    ByteBuffer src = ByteBuffer.allocateDirect(big.length).put(0, big);
    PacketBatch out = new PacketBatch(2, 0, 1500);
    int next = TsoSegmenter.segment(src, 0, big.length, true, 20, 1000, 0, out);
    assertThat(next).isEqualTo(2);
    out.clear();
    next = TsoSegmenter.segment(src, 0, big.length, true, 20, 1000, next, out);
    assertThat(next).isEqualTo(4);
    assertThat(out.buffer().getInt(out.offset(0) + 24)).isEqualTo(1000 + 2000);
    out.clear();
    assertThat(TsoSegmenter.segment(src, 0, big.length, true, 20, 1000, next, out)).isEqualTo(5);
    assertThat(out.count()).isEqualTo(1);
  }

  @Test
  void rejectsHeadersThatDoNotDescribeTcp() {
    byte[] udp = Packets.ipv4(A, B, 17, false, Packets.udp(1, 2, new byte[100]));
    ByteBuffer src = ByteBuffer.wrap(udp);
    assertThat(TsoSegmenter.valid(src, 0, udp.length, true, 20, 1000)).isFalse();
    byte[] tcp = superPacket4(new byte[100], TCP_ACK);
    ByteBuffer t = ByteBuffer.wrap(tcp);
    assertThat(TsoSegmenter.valid(t, 0, tcp.length, false, 20, 1000)).as("wrong version").isFalse();
    assertThat(TsoSegmenter.valid(t, 0, tcp.length, true, 24, 1000)).as("csum start").isFalse();
    assertThat(TsoSegmenter.valid(t, 0, tcp.length, true, 20, 0)).as("gso size").isFalse();
    assertThat(TsoSegmenter.valid(t, 0, 30, true, 20, 1000)).as("truncated").isFalse();
  }

  @Test
  void completesAPartialChecksum() {
    byte[] p = Packets.ipv4(A, B, 17, false, Packets.udp(1000, 2000, Packets.pattern(333, 2)));
    ByteBuffer b = ByteBuffer.wrap(p);
    // What the kernel leaves with CHECKSUM_PARTIAL: the folded pseudo-header sum in the field.
    int pseudo =
        io.tunnelier.agent.datapath.net.Checksum.fold(
            io.tunnelier.agent.datapath.net.Checksum.pseudoHeaderIpv4(b, 0, 17, p.length - 20));
    b.putShort(26, (short) pseudo);
    assertThat(Packets.transportChecksumValid(b, 0, p.length)).isFalse();
    assertThat(TsoSegmenter.completeChecksum(b, 0, p.length, 20, 6)).isTrue();
    assertThat(Packets.transportChecksumValid(b, 0, p.length)).isTrue();
    assertThat(TsoSegmenter.completeChecksum(b, 0, 25, 20, 6)).isFalse();
  }
}
