package io.tunnelier.agent.datapath.tun;

import io.tunnelier.agent.datapath.net.Checksum;
import io.tunnelier.agent.datapath.net.IpPacket;
import io.tunnelier.agent.datapath.net.PacketBatch;
import java.nio.ByteBuffer;

/**
 * Does in userspace what a NIC's TCP segmentation offload does: splits a TCP super-packet (up to 64
 * KiB, read from a TUN device with TSO enabled) into segments of {@code gsoSize} payload bytes,
 * each with its own IPv4/IPv6 and TCP header (length, IPv4 identification, sequence number, flags,
 * checksums), as the kernel's {@code tcp_gso_segment} would. Pure: no I/O.
 */
public final class TsoSegmenter {
  private static final int TCP_FIN = 0x01;
  private static final int TCP_PSH = 0x08;
  private static final int TCP_CWR = 0x80;

  private TsoSegmenter() {}

  /**
   * Length of the IP plus TCP headers of a super-packet whose TCP header starts at {@code
   * csumStart}, or -1 when the headers do not fit in {@code length}.
   */
  public static int headerLength(ByteBuffer b, int packet, int length, int csumStart) {
    if (csumStart + 20 > length) {
      return -1;
    }
    int tcpHeader = ((b.get(packet + csumStart + 12) & 0xF0) >>> 4) * 4;
    if (tcpHeader < 20 || csumStart + tcpHeader > length) {
      return -1;
    }
    return csumStart + tcpHeader;
  }

  /** Number of segments the super-packet splits into. */
  public static int segmentCount(int length, int headerLength, int gsoSize) {
    int payload = length - headerLength;
    return payload <= 0 ? 1 : (payload + gsoSize - 1) / gsoSize;
  }

  /**
   * Whether a super-packet's headers make sense for segmentation: IP version matching {@code ipv4},
   * the TCP header where the checksum starts, and a positive segment size.
   */
  public static boolean valid(
      ByteBuffer b, int packet, int length, boolean ipv4, int csumStart, int gsoSize) {
    if (gsoSize <= 0 || length < (ipv4 ? IpPacket.IPV4_HEADER : IpPacket.IPV6_HEADER)) {
      return false;
    }
    int version = IpPacket.version(b, packet, length);
    if (ipv4) {
      return version == 4
          && IpPacket.ipv4HeaderLength(b, packet) == csumStart
          && IpPacket.ipv4Protocol(b, packet) == IpPacket.PROTOCOL_TCP
          && headerLength(b, packet, length, csumStart) > 0;
    }
    return version == 6
        && csumStart >= IpPacket.IPV6_HEADER
        && headerLength(b, packet, length, csumStart) > 0;
  }

  /**
   * Writes segments {@code first, first+1, ...} of the super-packet at {@code src[packet, +length)}
   * into {@code dst} from {@code dst.count()} on, each after the slot's headroom, until done or
   * {@code dst} is full. Returns the index of the first segment not written (the segment count when
   * all are done). Check {@link #valid} and that a segment fits {@code dst.maxPacket()} first; a
   * segment that does not fit ends the packet early.
   */
  public static int segment(
      ByteBuffer src,
      int packet,
      int length,
      boolean ipv4,
      int csumStart,
      int gsoSize,
      int first,
      PacketBatch dst) {
    int headerLength = headerLength(src, packet, length, csumStart);
    int segments = segmentCount(length, headerLength, gsoSize);
    int seq = src.getInt(packet + csumStart + 4);
    int id = ipv4 ? src.getShort(packet + 4) & 0xFFFF : 0;
    ByteBuffer out = dst.buffer();
    int j = first;
    for (; j < segments; j++) {
      int payloadStart = headerLength + j * gsoSize;
      int chunk = Math.max(0, Math.min(gsoSize, length - payloadStart));
      if (headerLength + chunk > dst.maxPacket()) {
        return segments; // the caller checked this; never split a segment across slots
      }
      int slot = dst.add(headerLength + chunk);
      if (slot < 0) {
        return j;
      }
      int o = dst.offset(slot);
      out.put(o, src, packet, headerLength);
      // The payload is copied and summed in one pass; the headers are summed once rewritten.
      long payloadSum =
          Checksum.copyAndAdd(0, src, packet + payloadStart, out, o + headerLength, chunk);
      if (ipv4) {
        out.putShort(o + 2, (short) (headerLength + chunk));
        out.putShort(o + 4, (short) (id + j));
        IpPacket.ipv4UpdateChecksum(out, o);
      } else {
        out.putShort(o + 4, (short) (headerLength + chunk - IpPacket.IPV6_HEADER));
      }
      int t = o + csumStart;
      out.putInt(t + 4, seq + j * gsoSize);
      int flags = out.get(t + 13) & 0xFF;
      if (j < segments - 1) {
        flags &= ~(TCP_FIN | TCP_PSH);
      }
      if (j > 0) {
        flags &= ~TCP_CWR;
      }
      out.put(t + 13, (byte) flags);
      int tcpLength = headerLength - csumStart + chunk;
      out.putShort(t + 16, (short) 0);
      long sum =
          ipv4
              ? Checksum.pseudoHeaderIpv4(out, o, IpPacket.PROTOCOL_TCP, tcpLength)
              : Checksum.pseudoHeaderIpv6(out, o, IpPacket.PROTOCOL_TCP, tcpLength);
      sum = Checksum.add(sum + payloadSum, out, t, headerLength - csumStart);
      out.putShort(t + 16, (short) Checksum.finish(sum));
    }
    return j;
  }

  /**
   * Completes a checksum the kernel left partial ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}): the field
   * at {@code csumStart + csumOffset} holds the pseudo-header sum, and the sum from {@code
   * csumStart} to the end, folded and complemented, is the checksum (0 becomes 0xFFFF, as for UDP).
   */
  public static boolean completeChecksum(
      ByteBuffer b, int packet, int length, int csumStart, int csumOffset) {
    if (csumStart + csumOffset + 2 > length) {
      return false;
    }
    int sum = Checksum.finish(Checksum.add(0, b, packet + csumStart, length - csumStart));
    b.putShort(packet + csumStart + csumOffset, (short) (sum == 0 ? 0xFFFF : sum));
    return true;
  }
}
