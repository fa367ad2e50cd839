package io.tunnelier.agent.datapath.tun;

import io.tunnelier.agent.datapath.net.Checksum;
import io.tunnelier.agent.datapath.net.IpPacket;
import io.tunnelier.agent.datapath.net.PacketBatch;
import java.nio.ByteBuffer;

/**
 * Generic receive offload in userspace, for writes to a TUN device with {@code IFF_VNET_HDR}:
 * consecutive in-order TCP segments of one flow in a batch are chained so they can be written as a
 * single super-packet (one system call, one trip through the kernel's stack), under the rules of
 * the kernel's {@code tcp_gro_receive}: same addresses, ports, ack number, window, options and IP
 * fields; sequence numbers contiguous; equal segment sizes with only the last one shorter; plain
 * ACK segments with PSH ending a chain; at most 64 KiB. Each segment's TCP checksum is verified
 * first, because the merged packet is handed over with a partial checksum the kernel will not check
 * again. Anything else is written as it is, in order. Pure: no I/O.
 *
 * <p>After {@link #plan}, {@link #writes()} entries are chain heads in the order to write; {@link
 * #next(int)} walks a chain; {@link #finishHead} rewrites a chain head's headers for the merged
 * packet.
 */
public final class TcpCoalescer {
  private static final int TCP_ACK = 0x10;
  private static final int TCP_PSH = 0x08;
  private static final int MAX_MERGED = 65535;

  private final int[] next;
  private final int[] tail;
  private final int[] writes;
  private final int[] open; // chain heads still accepting segments
  private final int[] segmentSize;
  private final int[] payloadBytes;
  private final int[] nextSeq;
  private final int[] chainLength;
  private final boolean[] pushed;
  private int writeCount;
  private int openCount;

  public TcpCoalescer(int capacity) {
    next = new int[capacity];
    tail = new int[capacity];
    writes = new int[capacity];
    open = new int[capacity];
    segmentSize = new int[capacity];
    payloadBytes = new int[capacity];
    nextSeq = new int[capacity];
    chainLength = new int[capacity];
    pushed = new boolean[capacity];
  }

  /** Number of writes planned: chain heads and lone packets. */
  public int writeCount() {
    return writeCount;
  }

  /** Packet index of write {@code w}. */
  public int write(int w) {
    return writes[w];
  }

  /** The packet after {@code packet} in its chain, or -1. */
  public int next(int packet) {
    return next[packet];
  }

  /** Segments in the chain headed by {@code head} (1 for a lone packet). */
  public int chainLength(int head) {
    return chainLength[head];
  }

  /** Segment size of a chain (the gso_size to announce). */
  public int segmentSize(int head) {
    return segmentSize[head];
  }

  /** Plans the writes for packets {@code 0 .. batch.count()-1}. */
  public void plan(PacketBatch batch) {
    writeCount = 0;
    openCount = 0;
    ByteBuffer b = batch.buffer();
    for (int p = 0; p < batch.count(); p++) {
      next[p] = -1;
      tail[p] = p;
      chainLength[p] = 1;
      pushed[p] = false;
      int ip = batch.offset(p);
      int length = batch.length(p);
      int version = IpPacket.version(b, ip, length);
      int tcp = tcpOffset(b, ip, length, version);
      if (tcp < 0) {
        writes[writeCount++] = p;
        continue;
      }
      int flow = findOpen(b, batch, ip, tcp, version);
      int headerLength = tcp - ip + tcpHeaderLength(b, tcp);
      int payload = length - headerLength;
      int flags = b.get(tcp + 13) & 0xFF;
      boolean mergeable =
          payload > 0
              && (flags & ~TCP_PSH) == TCP_ACK
              && checksumValid(batch, p, ip, tcp, length, version);
      if (flow >= 0) {
        int head = open[flow];
        if (mergeable
            && b.getInt(tcp + 4) == nextSeq[head]
            && payload <= segmentSize[head]
            && headerLength + payloadBytes[head] + payload <= MAX_MERGED
            && sameFlowFields(b, batch.offset(head), ip, tcp - ip, headerLength, version)) {
          next[tail[head]] = p;
          tail[head] = p;
          chainLength[head]++;
          payloadBytes[head] += payload;
          nextSeq[head] += payload;
          if ((flags & TCP_PSH) != 0) {
            pushed[head] = true;
          }
          if (payload < segmentSize[head] || (flags & TCP_PSH) != 0) {
            closeOpen(flow);
          }
          continue;
        }
        // Not joinable: the chain must not grow past this packet, or order within the flow breaks.
        closeOpen(flow);
      }
      writes[writeCount++] = p;
      if (mergeable && (flags & TCP_PSH) == 0) {
        segmentSize[p] = payload;
        payloadBytes[p] = payload;
        nextSeq[p] = b.getInt(tcp + 4) + payload;
        open[openCount++] = p;
      }
    }
  }

  /**
   * Rewrites the headers of chain head {@code head} for the merged packet (lengths, IPv4 header
   * checksum, PSH, and the TCP checksum as the partial pseudo-header sum) and writes the virtio
   * header that announces it into {@code vnet} at {@code at}. A lone packet gets an all-zero
   * header.
   */
  public void finishHead(PacketBatch batch, int head, ByteBuffer vnet, int at) {
    if (chainLength[head] == 1) {
      VirtioNetHeader.put(vnet, at, 0, 0, 0, 0, 0, 0);
      return;
    }
    ByteBuffer b = batch.buffer();
    int ip = batch.offset(head);
    int version = IpPacket.version(b, ip, batch.length(head));
    int ipHeader = version == 4 ? IpPacket.ipv4HeaderLength(b, ip) : IpPacket.IPV6_HEADER;
    int tcp = ip + ipHeader;
    int headerLength = ipHeader + tcpHeaderLength(b, tcp);
    int total = headerLength + payloadBytes[head];
    if (pushed[head]) {
      b.put(tcp + 13, (byte) (b.get(tcp + 13) | TCP_PSH));
    }
    int tcpLength = total - ipHeader;
    long pseudo;
    if (version == 4) {
      b.putShort(ip + 2, (short) total);
      IpPacket.ipv4UpdateChecksum(b, ip);
      pseudo = Checksum.pseudoHeaderIpv4(b, ip, IpPacket.PROTOCOL_TCP, tcpLength);
    } else {
      b.putShort(ip + 4, (short) (total - IpPacket.IPV6_HEADER));
      pseudo = Checksum.pseudoHeaderIpv6(b, ip, IpPacket.PROTOCOL_TCP, tcpLength);
    }
    // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum, not complemented.
    b.putShort(tcp + 16, (short) Checksum.fold(pseudo));
    VirtioNetHeader.put(
        vnet,
        at,
        VirtioNetHeader.F_NEEDS_CSUM,
        version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6,
        headerLength,
        segmentSize[head],
        ipHeader,
        16);
  }

  /** Bytes of packet {@code p}'s IP and TCP headers (what a chain member skips). */
  public static int headerLength(PacketBatch batch, int p) {
    ByteBuffer b = batch.buffer();
    int ip = batch.offset(p);
    int version = IpPacket.version(b, ip, batch.length(p));
    int ipHeader = version == 4 ? IpPacket.ipv4HeaderLength(b, ip) : IpPacket.IPV6_HEADER;
    return ipHeader + tcpHeaderLength(b, ip + ipHeader);
  }

  /**
   * Index of the TCP header when the packet is a candidate (TCP over IPv4 without options or
   * fragmentation, or TCP right after a plain IPv6 header, lengths consistent), else -1.
   */
  private static int tcpOffset(ByteBuffer b, int ip, int length, int version) {
    if (version == 4) {
      if (length < IpPacket.IPV4_HEADER + 20
          || IpPacket.ipv4HeaderLength(b, ip) != IpPacket.IPV4_HEADER
          || IpPacket.ipv4Protocol(b, ip) != IpPacket.PROTOCOL_TCP
          || IpPacket.ipv4IsFragment(b, ip)
          || IpPacket.ipv4TotalLength(b, ip) != length) {
        return -1;
      }
      int tcp = ip + IpPacket.IPV4_HEADER;
      int th = tcpHeaderLength(b, tcp);
      return th < 20 || IpPacket.IPV4_HEADER + th > length ? -1 : tcp;
    }
    if (version == 6) {
      if (length < IpPacket.IPV6_HEADER + 20
          || IpPacket.ipv6NextHeader(b, ip) != IpPacket.PROTOCOL_TCP
          || IpPacket.ipv6PayloadLength(b, ip) != length - IpPacket.IPV6_HEADER) {
        return -1;
      }
      int tcp = ip + IpPacket.IPV6_HEADER;
      int th = tcpHeaderLength(b, tcp);
      return th < 20 || IpPacket.IPV6_HEADER + th > length ? -1 : tcp;
    }
    return -1;
  }

  private static int tcpHeaderLength(ByteBuffer b, int tcp) {
    return ((b.get(tcp + 12) & 0xF0) >>> 4) * 4;
  }

  private static boolean checksumValid(
      PacketBatch batch, int p, int ip, int tcp, int length, int version) {
    ByteBuffer b = batch.buffer();
    int tcpLength = length - (tcp - ip);
    long sum =
        version == 4
            ? Checksum.pseudoHeaderIpv4(b, ip, IpPacket.PROTOCOL_TCP, tcpLength)
            : Checksum.pseudoHeaderIpv6(b, ip, IpPacket.PROTOCOL_TCP, tcpLength);
    int known = batch.completeSumFrom(p, tcp);
    return Checksum.fold(known >= 0 ? sum + known : Checksum.add(sum, b, tcp, tcpLength)) == 0xFFFF;
  }

  /** The index in {@link #open} of the chain of this packet's flow, or -1. */
  private int findOpen(ByteBuffer b, PacketBatch batch, int ip, int tcp, int version) {
    for (int k = 0; k < openCount; k++) {
      int h = batch.offset(open[k]);
      if (IpPacket.version(b, h, batch.length(open[k])) != version) {
        continue;
      }
      int ports = tcp - ip;
      if (b.getInt(h + ports) != b.getInt(tcp)) {
        continue;
      }
      if (version == 4) {
        if (b.getLong(h + 12) == b.getLong(ip + 12)) {
          return k;
        }
      } else if (b.getLong(h + 8) == b.getLong(ip + 8)
          && b.getLong(h + 16) == b.getLong(ip + 16)
          && b.getLong(h + 24) == b.getLong(ip + 24)
          && b.getLong(h + 32) == b.getLong(ip + 32)) {
        return k;
      }
    }
    return -1;
  }

  /**
   * IP fields that must match (IPv4: TOS, DF, TTL; IPv6: traffic class, flow label, hop limit) and
   * TCP fields (ack, header length, flags but PSH, window, options).
   */
  private static boolean sameFlowFields(
      ByteBuffer b, int head, int ip, int ipHeader, int headerLength, int version) {
    if (version == 4) {
      if (b.get(head + 1) != b.get(ip + 1)
          || (b.get(head + 6) & 0xE0) != (b.get(ip + 6) & 0xE0)
          || b.get(head + 8) != b.get(ip + 8)) {
        return false;
      }
    } else if (b.getInt(head) != b.getInt(ip) || b.get(head + 7) != b.get(ip + 7)) {
      return false;
    }
    int ht = head + ipHeader;
    int pt = ip + ipHeader;
    if (b.getInt(ht + 8) != b.getInt(pt + 8)) {
      return false;
    }
    // Data offset, flags (PSH aside) and window in one word, as tcp_gro_receive compares them.
    if (((b.getInt(ht + 12) ^ b.getInt(pt + 12)) & ~(TCP_PSH << 16)) != 0) {
      return false;
    }
    for (int k = 20; k < headerLength - ipHeader; k += 4) {
      if (b.getInt(ht + k) != b.getInt(pt + k)) {
        return false;
      }
    }
    return true;
  }

  private void closeOpen(int k) {
    open[k] = open[--openCount];
  }
}
