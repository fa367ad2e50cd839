package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.Checksum;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.net.Packets;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GreCodecTest {
  private static final byte[] INNER4 =
      Packets.ipv4(
          Packets.ipv4("100.64.0.1"),
          Packets.ipv4("100.64.0.2"),
          17,
          false,
          Packets.udp(1, 2, Packets.pattern(50, 1)));
  private static final byte[] INNER6 =
      Packets.ipv6(new byte[16], new byte[16], 17, Packets.udp(1, 2, Packets.pattern(50, 2)));

  private final GreHeader header = new GreHeader();

  /** Encodes {@code inner} with the given options in a batch slot; returns the GRE packet. */
  private static byte[] encode(byte[] inner, int protocol, boolean csum, long key, long seq) {
    PacketBatch batch = new PacketBatch(1, 64, 2048);
    int i = batch.add(inner);
    int start =
        GreCodec.encode(batch.buffer(), batch.offset(i), inner.length, protocol, csum, key, seq);
    batch.set(i, start, inner.length + (batch.offset(i) - start));
    return batch.toArray(i);
  }

  private GreDrop decode(byte[] packet) {
    return GreCodec.decode(ByteBuffer.wrap(packet), 0, packet.length, header);
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void basicHeaderIsFourBytesWithTheProtocolType() {
    byte[] gre = encode(INNER4, GreHeader.PROTOCOL_IPV4, false, -1, -1);
    assertThat(HexFormat.of().formatHex(gre, 0, 4)).isEqualTo("00000800");
    assertThat(decode(gre)).isNull();
    assertThat(header.length).isEqualTo(4);
    assertThat(header.protocol).isEqualTo(0x0800);
    assertThat(header.hasKey || header.hasSequence || header.hasChecksum).isFalse();
  }

  @Test
  void keyAndSequenceAreRfc2890Fields() {
    byte[] gre = encode(INNER6, GreHeader.PROTOCOL_IPV6, false, 0xFFFFFFFEL, 0x80000001L);
    assertThat(HexFormat.of().formatHex(gre, 0, 12))
        .isEqualTo("300086dd" + "fffffffe" + "80000001");
    assertThat(decode(gre)).isNull();
    assertThat(header.key).isEqualTo(0xFFFFFFFEL);
    assertThat(header.sequence).isEqualTo(0x80000001L);
    assertThat(header.length).isEqualTo(12);
  }

  @ParameterizedTest(name = "checksum={0} key={1} sequence={2}")
  @CsvSource({
    "false,false,false", "true,false,false", "false,true,false", "false,false,true",
    "true,true,false", "true,false,true", "false,true,true", "true,true,true"
  })
  void everyCombinationRoundTrips(boolean csum, boolean key, boolean seq) {
    for (byte[] inner : new byte[][] {INNER4, INNER6}) {
      int protocol = inner == INNER4 ? GreHeader.PROTOCOL_IPV4 : GreHeader.PROTOCOL_IPV6;
      byte[] gre = encode(inner, protocol, csum, key ? 4242 : -1, seq ? 7 : -1);
      assertThat(decode(gre)).isNull();
      assertThat(header.hasChecksum).isEqualTo(csum);
      assertThat(header.hasKey).isEqualTo(key);
      assertThat(header.hasSequence).isEqualTo(seq);
      assertThat(header.length).isEqualTo(GreHeader.length(csum, key, seq));
      assertThat(gre.length).isEqualTo(header.length + inner.length);
      if (key) {
        assertThat(header.key).isEqualTo(4242);
      }
      if (seq) {
        assertThat(header.sequence).isEqualTo(7);
      }
      if (csum) {
        assertThat(Checksum.verify(ByteBuffer.wrap(gre), 0, gre.length)).isTrue();
      }
    }
  }

  @Test
  void checksumCoversHeaderAndPayload() {
    byte[] gre = encode(INNER4, GreHeader.PROTOCOL_IPV4, true, 1, -1);
    assertThat(decode(gre)).isNull();
    gre[gre.length - 1] ^= 1;
    assertThat(decode(gre)).isEqualTo(GreDrop.BAD_CHECKSUM);
    gre[gre.length - 1] ^= 1;
    gre[9] ^= 0x10; // the key is covered too
    assertThat(decode(gre)).isEqualTo(GreDrop.BAD_CHECKSUM);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 2, 3})
  void shorterThanTheBaseHeaderIsTruncated(int length) {
    assertThat(GreCodec.decode(ByteBuffer.wrap(new byte[4]), 0, length, header))
        .isEqualTo(GreDrop.TRUNCATED);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"2000 0800 000000", "1000 0800", "b000 0800 00000000 00000000 000000"})
  void announcedFieldsMissingIsTruncated(String packet) {
    assertThat(decode(hex(packet))).isEqualTo(GreDrop.TRUNCATED);
  }

  @ParameterizedTest(name = "version {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void nonZeroVersionIsDropped(int version) {
    byte[] gre = encode(INNER4, GreHeader.PROTOCOL_IPV4, false, 1, -1);
    gre[1] |= (byte) version;
    assertThat(decode(gre)).isEqualTo(GreDrop.BAD_VERSION);
  }

  @ParameterizedTest(name = "flags {0}")
  @ValueSource(ints = {0x4000, 0x0800, 0x0400, 0x4C00})
  void rfc1701RoutingBitsAreUnknownFlags(int flag) {
    byte[] gre = encode(INNER4, GreHeader.PROTOCOL_IPV4, false, 1, -1);
    gre[0] |= (byte) (flag >>> 8);
    assertThat(decode(gre)).isEqualTo(GreDrop.UNKNOWN_FLAGS);
  }

  @Test
  void reservedBitsSixToTwelveAreIgnored() {
    byte[] gre = encode(INNER4, GreHeader.PROTOCOL_IPV4, false, 1, -1);
    gre[0] |= 0x03;
    gre[1] |= (byte) 0xF8;
    assertThat(decode(gre)).isNull();
  }

  @ParameterizedTest(name = "protocol {0}")
  @ValueSource(ints = {0x6558, 0x880B, 0x0806, 0x0000, 0x8847})
  void otherProtocolTypesAreDropped(int protocol) {
    byte[] gre = encode(INNER4, protocol, false, 1, -1);
    assertThat(decode(gre)).isEqualTo(GreDrop.UNKNOWN_PROTOCOL);
  }

  @Test
  void innerVersionMustMatchTheProtocolType() {
    assertThat(decode(encode(INNER6, GreHeader.PROTOCOL_IPV4, false, 1, -1)))
        .isEqualTo(GreDrop.BAD_INNER_PACKET);
    assertThat(decode(encode(INNER4, GreHeader.PROTOCOL_IPV6, false, 1, -1)))
        .isEqualTo(GreDrop.BAD_INNER_PACKET);
    assertThat(decode(encode(new byte[] {0x45, 0, 0}, GreHeader.PROTOCOL_IPV4, false, 1, -1)))
        .as("inner shorter than an IPv4 header")
        .isEqualTo(GreDrop.BAD_INNER_PACKET);
    assertThat(decode(hex("0000 0800"))).as("no inner packet").isEqualTo(GreDrop.BAD_INNER_PACKET);
  }

  @Test
  void decodesAtAnOffsetInsideALargerBuffer() {
    byte[] gre = encode(INNER4, GreHeader.PROTOCOL_IPV4, true, 99, 5);
    byte[] padded = new byte[gre.length + 20];
    System.arraycopy(gre, 0, padded, 7, gre.length);
    assertThat(GreCodec.decode(ByteBuffer.wrap(padded), 7, gre.length, header)).isNull();
    assertThat(header.key).isEqualTo(99);
  }
}
