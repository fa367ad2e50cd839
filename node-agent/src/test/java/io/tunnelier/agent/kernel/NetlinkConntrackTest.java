package io.tunnelier.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.net.NetlinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ctnetlink messages byte by byte: the filtered dump, reading an entry, its delete. */
class NetlinkConntrackTest {
  static final byte[] POD = {100, 64, 3, 5};
  static final byte[] WEB = {(byte) 203, 0, 113, 80};

  static ByteBuffer buffer() {
    return ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());
  }

  static final Set<String> SOURCES = Set.of("64400305", "fd000000000000000000000000000020");

  @Test
  void theDumpAsksForOneFamilysEntries() {
    ByteBuffer b = buffer();
    int length = NetlinkConntrack.writeDump(b, 7, NetlinkConntrack.AF_INET6);
    assertThat(length).isEqualTo(20);
    assertThat(b.getInt(0)).isEqualTo(20);
    assertThat(b.getShort(4)).as("CTNETLINK << 8 | CT_GET").isEqualTo((short) 0x0101);
    assertThat(b.getShort(6)).as("REQUEST | DUMP").isEqualTo((short) 0x0301);
    assertThat(b.getInt(8)).isEqualTo(7);
    assertThat(b.get(16)).as("AF_INET6").isEqualTo((byte) 10);
    assertThat(b.get(17)).as("NFNETLINK_V0").isZero();
  }

  /** A dump answer as the kernel builds it: orig tuple (IP, proto), reply tuple, id, zone. */
  static int entryMessage(ByteBuffer b, byte[] source) {
    int at = 20;
    b.put(16, (byte) 2);
    int orig = at;
    at = NetlinkMessage.nest(b, at, 1);
    int ip = at;
    at = NetlinkMessage.nest(b, at, 1);
    at = NetlinkMessage.bytes(b, at, 1, source);
    at = NetlinkMessage.bytes(b, at, 2, WEB);
    NetlinkMessage.endNest(b, ip, at);
    int proto = at;
    at = NetlinkMessage.nest(b, at, 2);
    at = NetlinkMessage.bytes(b, at, 1, new byte[] {17});
    at = NetlinkMessage.bytes(b, at, 2, new byte[] {0x13, (byte) 0x88});
    at = NetlinkMessage.bytes(b, at, 3, new byte[] {0x1f, (byte) 0x90});
    NetlinkMessage.endNest(b, proto, at);
    NetlinkMessage.endNest(b, orig, at);
    int reply = at;
    at = NetlinkMessage.nest(b, at, 2);
    int rip = at;
    at = NetlinkMessage.nest(b, at, 1);
    at = NetlinkMessage.bytes(b, at, 1, WEB);
    at = NetlinkMessage.bytes(b, at, 2, new byte[] {(byte) 192, 0, 2, 11});
    NetlinkMessage.endNest(b, rip, at);
    NetlinkMessage.endNest(b, reply, at);
    at = NetlinkMessage.bytes(b, at, 12, new byte[] {1, 2, 3, 4});
    at = NetlinkMessage.bytes(b, at, 18, new byte[] {0, 7});
    NetlinkMessage.header(b, 0, at, (short) 0x0100, NetlinkMessage.NLM_F_MULTI, 3);
    return at;
  }

  @Test
  void anEntryOfTheSourceIsNamedByItsOriginalTupleZoneAndId() {
    ByteBuffer b = buffer();
    int length = entryMessage(b, POD);
    NetlinkConntrack.Entry e = NetlinkConntrack.entry(b, 0, length, SOURCES);
    assertThat(e).isNotNull();
    assertThat(e.family()).isEqualTo(2);
    assertThat(e.tuple()).as("header, IP (src, dst), proto (number, ports)").hasSize(4 + 20 + 28);
    assertThat(e.id()).containsExactly(8, 0, 12, 0, 1, 2, 3, 4);
    assertThat(Arrays.copyOfRange(e.zone(), 4, 6)).containsExactly(0, 7);

    ByteBuffer other = buffer();
    assertThat(NetlinkConntrack.entry(other, 0, entryMessage(other, WEB), SOURCES))
        .as("from another source; the pod is only the reply's destination")
        .isNull();

    ByteBuffer d = buffer();
    int deleteLength = NetlinkConntrack.writeDelete(d, 9, e);
    assertThat(d.getShort(4)).as("CTNETLINK << 8 | CT_DELETE").isEqualTo((short) 0x0102);
    assertThat(d.getShort(6)).as("REQUEST | ACK").isEqualTo((short) 0x0005);
    assertThat(d.get(16)).isEqualTo((byte) 2);
    byte[] attributes = new byte[deleteLength - 20];
    d.get(20, attributes);
    byte[] expected = new byte[e.tuple().length + 8 + 8];
    System.arraycopy(e.tuple(), 0, expected, 0, e.tuple().length);
    System.arraycopy(e.zone(), 0, expected, e.tuple().length, 6);
    System.arraycopy(e.id(), 0, expected, e.tuple().length + 8, 8);
    assertThat(attributes).isEqualTo(expected);
  }
}
