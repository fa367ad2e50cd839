package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.tun.TunDevice;
import java.util.Map;
import java.util.TreeMap;

/**
 * The userspace GRE datapath of one tunnel: its device, and its {@link GreTunnel} registered on a
 * (possibly shared) {@link GreTransport}, which receives, and on a (shared) {@link GreSender},
 * which transmits (device → encapsulate → socket). No thread of its own, no allocation per packet.
 */
public final class GreDatapath implements Datapath {
  /**
   * Packets per transmit batch: two TSO super-packets of up to 45 segments each, kept whole so
   * their segments leave in the same UDP GSO sends and can be merged again on the far side.
   */
  public static final int BATCH = 128;

  private final GreTunnel tunnel;
  private final TunDevice device;
  private final GreTransport transport;
  private final Runnable release;
  private final int mtu;
  private final GreSender sender;
  private volatile boolean closed;

  /**
   * Registers {@code tunnel} on {@code transport} and {@code sender}.
   *
   * @param mtu the MTU set on the device
   * @param release called once on close, after the tunnel left the transport and the sender (e.g.
   *     to close a transport or sender no tunnel uses any more)
   */
  GreDatapath(
      GreTunnel tunnel,
      TunDevice device,
      GreTransport transport,
      GreSender sender,
      int mtu,
      Runnable release) {
    this.tunnel = tunnel;
    this.device = device;
    this.transport = transport;
    this.sender = sender;
    this.release = release;
    this.mtu = mtu;
    transport.register(tunnel);
    sender.add(tunnel, transport, Math.max(mtu, tunnel.innerMtu()));
  }

  @Override
  public String deviceName() {
    return device.name();
  }

  @Override
  public int mtu() {
    return mtu;
  }

  public GreTunnel tunnel() {
    return tunnel;
  }

  @Override
  public DatapathStats stats() {
    GreCounters c = tunnel.counters();
    Map<String, Long> drops = new TreeMap<>();
    c.snapshotDrops(drops);
    // Drops before demultiplexing (malformed, unknown key) belong to the shared socket; every
    // tunnel on it shows them, so a lone tunnel's stats are complete.
    transport.counters().snapshotDrops(drops);
    device.drops().forEach((k, v) -> drops.merge(k, v, Long::sum));
    Endpoint peer = tunnel.peer();
    return new DatapathStats(
        c.rxPackets(),
        c.rxBytes(),
        c.txPackets(),
        c.txBytes(),
        Map.copyOf(drops),
        null,
        peer == null ? null : peer.toString());
  }

  /** I/O activity of the device and the (shared) socket: system calls and packets. */
  public Map<String, Long> ioCounters() {
    Map<String, Long> out = new TreeMap<>(device.counters());
    out.putAll(transport.socket().counters());
    return out;
  }

  /** Stops both directions for this tunnel and removes its device. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    transport.unregister(tunnel);
    sender.remove(tunnel);
    device.close();
    release.run();
  }
}
