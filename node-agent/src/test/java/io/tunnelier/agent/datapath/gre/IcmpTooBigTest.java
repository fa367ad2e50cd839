package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.Checksum;
import io.tunnelier.agent.datapath.net.IpPacket;
import io.tunnelier.agent.datapath.net.Packets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IcmpTooBigTest {
  static final int SENDER = Packets.ipv4("100.64.1.2");
  static final int TARGET = Packets.ipv4("203.0.113.9");

  private final ByteBuffer out = ByteBuffer.allocate(IcmpTooBig.maxLength());

  @Test
  void ipv4FragmentationNeededCarriesTheMtuAndTheOriginalHeader() {
    byte[] big =
        Packets.ipv4(
            SENDER,
            TARGET,
            6,
            true,
            Packets.tcp(40000, 443, 1, 1, Packets.TCP_ACK, 100, 0, new byte[1460]));
    ByteBuffer in = ByteBuffer.wrap(big);
    assertThat(IcmpTooBig.shouldAnswer(in, 0, big.length)).isTrue();
    int n = IcmpTooBig.write(in, 0, big.length, 1476, out, 0);
    assertThat(n).isEqualTo(576);
    assertThat(IpPacket.ipv4TotalLength(out, 0)).isEqualTo(n);
    assertThat(Checksum.verify(out, 0, 20)).isTrue();
    assertThat(IpPacket.ipv4Protocol(out, 0)).isEqualTo(1);
    assertThat(IpPacket.ipv4Source(out, 0)).isEqualTo(TARGET);
    assertThat(IpPacket.ipv4Destination(out, 0)).isEqualTo(SENDER);
    assertThat(out.get(20)).isEqualTo((byte) 3);
    assertThat(out.get(21)).isEqualTo((byte) 4);
    assertThat(out.getShort(26) & 0xFFFF).isEqualTo(1476);
    assertThat(Checksum.verify(out, 20, n - 20)).isTrue();
    assertThat(Arrays.copyOfRange(out.array(), 28, 28 + 48)).isEqualTo(Arrays.copyOf(big, 48));
  }

  @Test
  void ipv6PacketTooBigIsAValidIcmpv6Message() {
    byte[] src = new byte[16];
    byte[] dst = new byte[16];
    src[0] = 0x20;
    src[15] = 1;
    dst[0] = 0x20;
    dst[15] = 2;
    byte[] big = Packets.ipv6(src, dst, 17, Packets.udp(1, 2, new byte[1400]));
    ByteBuffer in = ByteBuffer.wrap(big);
    assertThat(IcmpTooBig.shouldAnswer(in, 0, big.length)).isTrue();
    int n = IcmpTooBig.write(in, 0, big.length, 1280, out, 0);
    assertThat(n).isEqualTo(1280);
    assertThat(IpPacket.ipv6NextHeader(out, 0)).isEqualTo(58);
    assertThat(Arrays.copyOfRange(out.array(), 8, 24)).isEqualTo(dst);
    assertThat(Arrays.copyOfRange(out.array(), 24, 40)).isEqualTo(src);
    assertThat(out.get(40)).isEqualTo((byte) 2);
    assertThat(out.getInt(44)).isEqualTo(1280);
    assertThat(Packets.transportChecksumValid(out, 0, n)).isTrue();
  }

  @Test
  void noAnswerToErrorsFragmentsOrOddSources() {
    byte[] icmpError = Packets.ipv4(SENDER, TARGET, 1, true, new byte[] {3, 1, 0, 0, 0, 0, 0, 0});
    assertThat(IcmpTooBig.shouldAnswer(ByteBuffer.wrap(icmpError), 0, icmpError.length)).isFalse();
    byte[] echo =
        Packets.ipv4(SENDER, TARGET, 1, true, Packets.echoRequest(false, 1, 1, new byte[8]));
    assertThat(IcmpTooBig.shouldAnswer(ByteBuffer.wrap(echo), 0, echo.length)).isTrue();
    byte[] fragment = Packets.ipv4(SENDER, TARGET, 17, false, Packets.udp(1, 2, new byte[10]));
    ByteBuffer f = ByteBuffer.wrap(fragment);
    f.putShort(6, (short) 0x0010);
    assertThat(IcmpTooBig.shouldAnswer(f, 0, fragment.length)).isFalse();
    byte[] multicast =
        Packets.ipv4(Packets.ipv4("224.0.0.5"), TARGET, 17, false, Packets.udp(1, 2, new byte[1]));
    assertThat(IcmpTooBig.shouldAnswer(ByteBuffer.wrap(multicast), 0, multicast.length)).isFalse();
    byte[] unspecified = Packets.ipv4(0, TARGET, 17, false, Packets.udp(1, 2, new byte[1]));
    assertThat(IcmpTooBig.shouldAnswer(ByteBuffer.wrap(unspecified), 0, unspecified.length))
        .isFalse();
    byte[] icmp6Error = Packets.ipv6(new byte[16], new byte[16], 58, new byte[] {1, 0, 0, 0});
    icmp6Error[8] = 0x20;
    assertThat(IcmpTooBig.shouldAnswer(ByteBuffer.wrap(icmp6Error), 0, icmp6Error.length))
        .isFalse();
  }
}
