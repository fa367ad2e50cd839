package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.tun.TunDevice;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The userspace GRE datapath of one tunnel: its device, its {@link GreTunnel} registered on a
 * (possibly shared) {@link GreTransport}, and the transmit loop (device → encapsulate → socket).
 * The receive direction runs on the transport's loop. Two threads per tunnel pair, no allocation
 * per packet.
 */
public final class GreDatapath implements Datapath {
  private static final Logger LOG = LoggerFactory.getLogger(GreDatapath.class);

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
  private final Thread sender;
  private volatile boolean closed;

  /**
   * Registers {@code tunnel} on {@code transport} and starts the transmit loop.
   *
   * @param mtu the MTU set on the device
   * @param release called once on close, after the tunnel left the transport (e.g. to close a
   *     transport no tunnel uses any more)
   */
  public GreDatapath(
      GreTunnel tunnel, TunDevice device, GreTransport transport, int mtu, Runnable release) {
    this.tunnel = tunnel;
    this.device = device;
    this.transport = transport;
    this.release = release;
    this.mtu = mtu;
    transport.register(tunnel);
    PacketBatch batch =
        new PacketBatch(BATCH, PacketBatch.DEFAULT_HEADROOM, Math.max(mtu, tunnel.innerMtu()));
    PacketBatch icmp = new PacketBatch(8, 0, IcmpTooBig.maxLength());
    this.sender = new Thread(() -> sendLoop(batch, icmp), "gre-tx-" + device.name());
    this.sender.setDaemon(true);
    this.sender.start();
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

  private void sendLoop(PacketBatch batch, PacketBatch icmp) {
    GreCounters counters = tunnel.counters();
    long errors = 0;
    while (!closed) {
      try {
        int n = device.read(batch);
        if (n < 0) {
          break;
        }
        icmp.clear();
        long bytes = tunnel.encapsulate(batch, icmp);
        if (icmp.count() > 0) {
          device.write(icmp);
        }
        int attempted = 0;
        for (int i = 0; i < n; i++) {
          if (batch.destination(i) != null) {
            attempted++;
          }
        }
        if (attempted == 0) {
          continue;
        }
        int sent = transport.socket().send(batch);
        if (sent < 0) {
          break;
        }
        counters.sent(sent, sent == attempted ? bytes : bytes * sent / attempted);
        counters.drop(GreDrop.SEND_FAILED, attempted - sent);
      } catch (IOException | RuntimeException e) {
        if (closed) {
          break;
        }
        counters.drop(GreDrop.INTERNAL_ERROR, Math.max(1, batch.count()));
        if (errors++ % 1000 == 0) {
          LOG.atWarn()
              .setMessage("GRE send failed; batch dropped, continuing")
              .addKeyValue("device", device.name())
              .addKeyValue("error", e.toString())
              .setCause(e)
              .log();
        }
      }
    }
    LOG.atDebug().setMessage("GRE send loop ended").addKeyValue("device", device.name()).log();
  }

  /** Stops both directions for this tunnel and removes its device. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    transport.unregister(tunnel);
    device.close();
    try {
      sender.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    release.run();
  }
}
