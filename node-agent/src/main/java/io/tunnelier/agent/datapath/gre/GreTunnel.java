package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.IpPacket;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.tun.TunDevice;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GRE tunnel's protocol state: its key, what it sends (sequence numbers, checksum), its peer
 * (configured, or learned from the last valid packet carrying its key), and the receive-side
 * sequence check. It encapsulates and accepts packets in place in batches and counts what it drops;
 * it does no I/O itself ({@link GreDatapath} and {@link GreTransport} move the batches).
 *
 * <p>{@link #encapsulate} runs on its {@link GreSender}'s thread only, {@link #accept} on its
 * transport's receive thread only.
 */
public final class GreTunnel {
  private static final Logger LOG = LoggerFactory.getLogger(GreTunnel.class);

  /** Demultiplexing key of a tunnel without an RFC 2890 key. */
  public static final long NO_KEY = -1;

  private static final int IPV6_MIN_MTU = 1280;

  private final String name;
  private final long key;
  private final boolean sendSequence;
  private final boolean sendChecksum;
  private final boolean udp;
  private final Endpoint configuredPeer;
  private final int innerMtu;
  private final TunDevice device;
  private final SourceFilter allowedSources;
  private final GreCounters counters = new GreCounters();
  private volatile Endpoint peer;
  private volatile long roams;

  // Transmit thread only.
  private long txSequence;

  // Receive thread only.
  private boolean rxSequenceSeen;
  private long rxNextSequence;

  /**
   * @param key RFC 2890 key (0..2^32-1) or {@link #NO_KEY}
   * @param peer where to send, and the only source accepted; null to learn it from packets
   * @param innerMtu largest inner packet to send; bigger ones with DF (and IPv6) get ICMP too big
   */
  public GreTunnel(
      String name,
      long key,
      boolean sendSequence,
      boolean sendChecksum,
      boolean udp,
      Endpoint peer,
      int innerMtu,
      TunDevice device) {
    this(name, key, sendSequence, sendChecksum, udp, peer, innerMtu, device, SourceFilter.ANY);
  }

  /**
   * @param allowedSources when learning ({@code peer} null): the sources the peer may be learned
   *     from; packets from others are dropped ({@link GreDrop#SOURCE_NOT_ALLOWED})
   */
  public GreTunnel(
      String name,
      long key,
      boolean sendSequence,
      boolean sendChecksum,
      boolean udp,
      Endpoint peer,
      int innerMtu,
      TunDevice device,
      SourceFilter allowedSources) {
    this.allowedSources = allowedSources;
    this.name = name;
    this.key = key;
    this.sendSequence = sendSequence;
    this.sendChecksum = sendChecksum;
    this.udp = udp;
    this.configuredPeer = peer;
    this.peer = peer;
    this.innerMtu = innerMtu;
    this.device = device;
  }

  public String name() {
    return name;
  }

  public long key() {
    return key;
  }

  public TunDevice device() {
    return device;
  }

  public GreCounters counters() {
    return counters;
  }

  public int innerMtu() {
    return innerMtu;
  }

  /** Where packets go now; null until a learning tunnel has heard from its peer. */
  public Endpoint peer() {
    return peer;
  }

  /** How often a learning tunnel's peer changed (the first learned peer counts as one). */
  public long roams() {
    return roams;
  }

  /** GRE header bytes this tunnel puts on each packet. */
  public int headerLength() {
    return GreHeader.length(sendChecksum, key != NO_KEY, sendSequence);
  }

  /**
   * Turns every inner packet read from the device into a GRE packet in place (header in the
   * headroom) with the peer as destination. Packets that cannot go get a null destination (the
   * socket skips them) and are counted; oversized ones with DF, and IPv6 ones, get an ICMP too big
   * appended to {@code icmp}, to be written back into the device.
   *
   * @return bytes of the inner packets encapsulated
   */
  public long encapsulate(PacketBatch batch, PacketBatch icmp) {
    Endpoint to = peer;
    ByteBuffer b = batch.buffer();
    long bytes = 0;
    for (int i = 0; i < batch.count(); i++) {
      batch.setDestination(i, null);
      int ip = batch.offset(i);
      int length = batch.length(i);
      int version = IpPacket.version(b, ip, length);
      if (version != 4 && version != 6) {
        counters.drop(GreDrop.NOT_IP);
        continue;
      }
      if (length > innerMtu && tooBig(b, ip, length, version, icmp)) {
        counters.drop(GreDrop.TOO_BIG);
        continue;
      }
      if (to == null) {
        counters.drop(GreDrop.NO_PEER);
        continue;
      }
      int protocol = version == 4 ? GreHeader.PROTOCOL_IPV4 : GreHeader.PROTOCOL_IPV6;
      long sequence = sendSequence ? (txSequence++ & 0xFFFFFFFFL) : -1;
      int start = GreCodec.encode(b, ip, length, protocol, sendChecksum, key, sequence);
      batch.set(i, start, length + (ip - start));
      batch.setDestination(i, to);
      bytes += length;
    }
    return bytes;
  }

  /**
   * Whether an oversized packet is refused (answered with ICMP) rather than sent to be fragmented
   * on the underlay: IPv4 with DF; IPv6 beyond the tunnel MTU, or beyond 1280 when the tunnel MTU
   * is below the IPv6 minimum (then smaller IPv6 packets still go, fragmented outside).
   */
  private boolean tooBig(ByteBuffer b, int ip, int length, int version, PacketBatch icmp) {
    int report;
    if (version == 4) {
      if (!IpPacket.ipv4DontFragment(b, ip)) {
        return false;
      }
      report = innerMtu;
    } else {
      if (innerMtu < IPV6_MIN_MTU && length <= IPV6_MIN_MTU) {
        return false;
      }
      report = Math.max(innerMtu, IPV6_MIN_MTU);
    }
    if (IcmpTooBig.shouldAnswer(b, ip, length) && icmp.count() < icmp.capacity()) {
      int k = icmp.add(0);
      int n = IcmpTooBig.write(b, ip, length, report, icmp.buffer(), icmp.offset(k));
      icmp.set(k, icmp.offset(k), n);
    }
    return true;
  }

  /**
   * Checks a received packet whose GRE header (already decoded into {@code header}) carries this
   * tunnel's key: source, sequence. On success strips the GRE header, leaving the inner packet,
   * learns the peer if this tunnel learns, and returns null; otherwise returns why to drop it.
   */
  public GreDrop accept(PacketBatch batch, int i, GreHeader header) {
    boolean roamed = false;
    if (configuredPeer != null) {
      if (!batch.sourceMatches(i, configuredPeer, false)) {
        return GreDrop.WRONG_SOURCE;
      }
    } else {
      Endpoint current = peer;
      roamed = current == null || !batch.sourceMatches(i, current, udp);
      if (roamed && !allowedSources.allows(batch.sources().buffer(), batch.sourceOffset(i))) {
        return GreDrop.SOURCE_NOT_ALLOWED;
      }
    }
    if (header.hasSequence) {
      if (!roamed
          && rxSequenceSeen
          && (int) (header.sequence - rxNextSequence) < 0) { // RFC 1982 serial comparison
        return GreDrop.OUT_OF_ORDER;
      }
      rxSequenceSeen = true;
      rxNextSequence = (header.sequence + 1) & 0xFFFFFFFFL;
    }
    if (roamed) {
      Endpoint learned = batch.source(i);
      if (!udp) {
        learned = learned.withPort(0);
      }
      long n = ++roams;
      if (Long.bitCount(n) == 1) {
        // The 1st, 2nd, 4th, 8th... change: a source flapping between two allowed addresses
        // (or a flood of them) logs a handful of lines, not one per packet.
        LOG.atInfo()
            .setMessage("GRE peer changed (logged at powers of two changes)")
            .addKeyValue("device", name)
            .addKeyValue("peer", learned)
            .addKeyValue("previousPeer", peer)
            .addKeyValue("changes", n)
            .log();
      }
      peer = learned;
      if (!header.hasSequence) {
        rxSequenceSeen = false;
      }
    }
    batch.strip(i, header.length);
    return null;
  }
}
