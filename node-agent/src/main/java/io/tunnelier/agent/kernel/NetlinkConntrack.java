package io.tunnelier.agent.kernel;

import io.tunnelier.agent.datapath.net.Errno;
import io.tunnelier.agent.datapath.net.ErrnoException;
import io.tunnelier.agent.datapath.net.NativeBuffer;
import io.tunnelier.agent.datapath.net.NetlinkMessage;
import io.tunnelier.agent.datapath.net.NetlinkSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * {@link Conntrack} over ctnetlink ({@code NETLINK_NETFILTER}, subsystem {@code
 * NFNL_SUBSYS_CTNETLINK}), in the network namespace of the calling thread; needs only NET_ADMIN, no
 * {@code conntrack} binary. Per address family asked for, one {@code IPCTNL_MSG_CT_GET} dump of the
 * whole table (every zone), matched here, then one {@code IPCTNL_MSG_CT_DELETE} per entry found,
 * naming it by its original tuple, zone and id, so an entry replaced meanwhile is left alone. The
 * dump is not filtered in the kernel ({@code CTA_FILTER}): on Linux 6.18 a filter on an IPv6 source
 * returned another source's entry instead; a change of selection is rare enough for a full dump.
 * Without ctnetlink in the kernel nothing is tracked through it: 0 deleted.
 */
public final class NetlinkConntrack implements Conntrack {
  static final int NFNL_SUBSYS_CTNETLINK = 1;
  static final int IPCTNL_MSG_CT_GET = 1;
  static final int IPCTNL_MSG_CT_DELETE = 2;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;

  /** nfgenmsg: family, version, resource id; follows the netlink header. */
  static final int NFGENMSG = 4;

  static final int CTA_TUPLE_ORIG = 1;
  static final int CTA_ID = 12;
  static final int CTA_ZONE = 18;
  static final int CTA_TUPLE_IP = 1;
  static final int CTA_IP_V4_SRC = 1;
  static final int CTA_IP_V6_SRC = 3;

  private static final int MESSAGE_SIZE = 512;

  /** One entry found by a dump: the attributes that name it, as the kernel sent them. */
  record Entry(int family, byte[] tuple, byte[] zone, byte[] id) {}

  @Override
  public int deleteByOriginalSource(Set<InetAddress> sources) throws IOException {
    if (sources.isEmpty()) {
      return 0;
    }
    try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, "conntrack")) {
      NativeBuffer message = new NativeBuffer(MESSAGE_SIZE);
      int deleted = 0;
      for (int family : new int[] {AF_INET, AF_INET6}) {
        Set<String> of = new HashSet<>();
        for (InetAddress a : sources) {
          if (family(a.getAddress()) == family) {
            of.add(HexFormat.of().formatHex(a.getAddress()));
          }
        }
        if (of.isEmpty()) {
          continue;
        }
        List<Entry> entries = new ArrayList<>();
        int error =
            s.dump(
                message,
                writeDump(message.buffer(), s.nextSeq(), family),
                (b, at, len) -> {
                  Entry e = entry(b, at, len, of);
                  if (e != null) {
                    entries.add(e);
                  }
                });
        if (error == -Errno.EOPNOTSUPP || error == -Errno.EPROTONOSUPPORT) {
          return 0; // no ctnetlink: nothing is tracked through it
        }
        if (error != 0) {
          throw new ErrnoException("dumping the conntrack table", -error);
        }
        for (Entry e : entries) {
          int length = writeDelete(message.buffer(), s.nextSeq(), e);
          error = s.request(message, length);
          if (error == 0) {
            deleted++;
          } else if (error != -Errno.ENOENT) { // expired or replaced meanwhile
            throw new ErrnoException("deleting a conntrack entry", -error);
          }
        }
      }
      return deleted;
    }
  }

  /** The netlink header of a ctnetlink request {@code length} bytes long; returns the length. */
  private static int header(ByteBuffer b, int length, int msg, short flags, int seq) {
    NetlinkMessage.header(
        b,
        0,
        length,
        (short) ((NFNL_SUBSYS_CTNETLINK << 8) | msg),
        (short) (NetlinkMessage.NLM_F_REQUEST | flags),
        seq);
    return length;
  }

  private static int family(byte[] address) {
    return address.length == 4 ? AF_INET : AF_INET6;
  }

  /** nfgenmsg after the header: family, NFNETLINK_V0, resource id 0 (big-endian). */
  private static int nfgenmsg(ByteBuffer b, int family) {
    b.put(NetlinkMessage.HEADER, (byte) family);
    b.put(NetlinkMessage.HEADER + 1, (byte) 0);
    b.putShort(NetlinkMessage.HEADER + 2, (short) 0);
    return NetlinkMessage.HEADER + NFGENMSG;
  }

  /** A dump request of one family's entries; returns the message's length. */
  static int writeDump(ByteBuffer b, int seq, int family) {
    return header(b, nfgenmsg(b, family), IPCTNL_MSG_CT_GET, NetlinkMessage.NLM_F_DUMP, seq);
  }

  /**
   * The entry in the dump message at {@code at} when its original source is one of {@code sources}
   * (hex of the address bytes), else null (also for anything that is not a conntrack entry).
   */
  static Entry entry(ByteBuffer b, int at, int length, Set<String> sources) {
    int end = at + length;
    int attrs = at + NetlinkMessage.HEADER + NFGENMSG;
    if (attrs > end) {
      return null;
    }
    int family = b.get(at + NetlinkMessage.HEADER) & 0xFF;
    int size = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
    int tuple = NetlinkMessage.find(b, attrs, end, CTA_TUPLE_ORIG);
    if (tuple < 0 || size == 0) {
      return null;
    }
    int ip =
        NetlinkMessage.find(
            b, NetlinkMessage.value(tuple), NetlinkMessage.valueEnd(b, tuple), CTA_TUPLE_IP);
    if (ip < 0) {
      return null;
    }
    int src =
        NetlinkMessage.find(
            b,
            NetlinkMessage.value(ip),
            NetlinkMessage.valueEnd(b, ip),
            size == 4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC);
    if (src < 0
        || NetlinkMessage.attributeLength(b, src) != NetlinkMessage.ATTRIBUTE_HEADER + size) {
      return null;
    }
    byte[] seen = new byte[size];
    b.get(NetlinkMessage.value(src), seen);
    if (!sources.contains(HexFormat.of().formatHex(seen))) {
      return null;
    }
    return new Entry(
        family,
        raw(b, tuple),
        raw(b, NetlinkMessage.find(b, attrs, end, CTA_ZONE)),
        raw(b, NetlinkMessage.find(b, attrs, end, CTA_ID)));
  }

  /** The whole attribute at {@code at} (header included, unpadded), or null when absent. */
  private static byte[] raw(ByteBuffer b, int at) {
    if (at < 0) {
      return null;
    }
    byte[] bytes = new byte[NetlinkMessage.attributeLength(b, at)];
    b.get(at, bytes);
    return bytes;
  }

  /** The delete request of one entry; returns the message's length. */
  static int writeDelete(ByteBuffer b, int seq, Entry e) {
    int at = nfgenmsg(b, e.family());
    for (byte[] attribute : new byte[][] {e.tuple(), e.zone(), e.id()}) {
      if (attribute != null) {
        b.put(at, attribute);
        int end = at + NetlinkMessage.align(attribute.length);
        for (int i = at + attribute.length; i < end; i++) {
          b.put(i, (byte) 0);
        }
        at = end;
      }
    }
    return header(b, at, IPCTNL_MSG_CT_DELETE, NetlinkMessage.NLM_F_ACK, seq);
  }
}
