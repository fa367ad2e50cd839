package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.net.PacketSocket;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One underlay socket carrying GRE (raw IP protocol 47, or GRE-in-UDP on port 4754) and the receive
 * loop that serves every tunnel registered on it: decode the GRE header, find the tunnel by key
 * ({@link GreDemux}), let it check source and sequence, and write the inner packets into that
 * tunnel's device, a batch at a time. Drops that belong to no tunnel (malformed, unknown key) are
 * counted here. Tunnels send through {@link #socket()} from their {@link GreSender}s' threads.
 */
public final class GreTransport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GreTransport.class);

  /**
   * Packets per receive batch: room for two UDP GRO messages of up to 64 datagrams, so segments of
   * one TCP super-packet that arrived in two messages are still merged into one TUN write.
   */
  public static final int BATCH = 128;

  private final PacketSocket socket;
  private final String name;
  private final GreDemux demux = new GreDemux();
  private final GreCounters counters = new GreCounters();
  private final Thread receiver;
  private volatile boolean closed;

  /**
   * Starts the receive loop on {@code socket}.
   *
   * @param maxPacket largest GRE packet (header + inner) a receive slot holds
   */
  public GreTransport(PacketSocket socket, String name, int maxPacket) {
    this.socket = socket;
    this.name = name;
    PacketBatch batch = new PacketBatch(BATCH, PacketBatch.DEFAULT_HEADROOM, maxPacket);
    this.receiver = new Thread(() -> receiveLoop(batch), "gre-rx-" + name);
    this.receiver.setDaemon(true);
    this.receiver.start();
  }

  public PacketSocket socket() {
    return socket;
  }

  public String name() {
    return name;
  }

  /** Drops counted before a packet could be matched to a tunnel. */
  public GreCounters counters() {
    return counters;
  }

  public void register(GreTunnel tunnel) {
    demux.add(tunnel);
  }

  public void unregister(GreTunnel tunnel) {
    demux.remove(tunnel);
  }

  public int tunnels() {
    return demux.size();
  }

  private void receiveLoop(PacketBatch batch) {
    GreHeader header = new GreHeader();
    GreTunnel[] owner = new GreTunnel[batch.capacity()];
    int[] lengths = new int[batch.capacity()];
    GreTunnel[] present = new GreTunnel[batch.capacity()];
    long errors = 0;
    while (!closed) {
      try {
        int n = socket.receive(batch);
        if (n < 0) {
          break;
        }
        int distinct = 0;
        for (int i = 0; i < n; i++) {
          owner[i] = null;
          GreTunnel tunnel = classify(batch, i, header);
          if (tunnel == null) {
            batch.set(i, batch.offset(i), 0);
            continue;
          }
          owner[i] = tunnel;
          boolean seen = false;
          for (int k = 0; k < distinct && !seen; k++) {
            seen = present[k] == tunnel;
          }
          if (!seen) {
            present[distinct++] = tunnel;
          }
        }
        if (distinct == 1) {
          deliver(present[0], batch);
        } else if (distinct > 1) {
          // Several tunnels in one batch (a busy VPS): write each one's packets in turn.
          for (int i = 0; i < n; i++) {
            lengths[i] = batch.length(i);
          }
          for (int k = 0; k < distinct; k++) {
            for (int i = 0; i < n; i++) {
              batch.set(i, batch.offset(i), owner[i] == present[k] ? lengths[i] : 0);
            }
            deliver(present[k], batch);
          }
        }
        java.util.Arrays.fill(present, 0, distinct, null);
      } catch (IOException | RuntimeException e) {
        if (closed) {
          break;
        }
        counters.drop(GreDrop.INTERNAL_ERROR, Math.max(1, batch.count()));
        if (errors++ % 1000 == 0) {
          LOG.atWarn()
              .setMessage("GRE receive failed; batch dropped, continuing")
              .addKeyValue("device", name)
              .addKeyValue("error", e.toString())
              .setCause(e)
              .log();
        }
      }
    }
    LOG.atDebug().setMessage("GRE receive loop ended").addKeyValue("device", name).log();
  }

  /** Decodes and demultiplexes packet {@code i}; the tunnel that accepted it, or null. */
  private GreTunnel classify(PacketBatch batch, int i, GreHeader header) {
    GreDrop drop = GreCodec.decode(batch.buffer(), batch.offset(i), batch.length(i), header);
    if (drop != null) {
      counters.drop(drop);
      return null;
    }
    GreTunnel tunnel = demux.lookup(header.hasKey ? header.key : GreTunnel.NO_KEY);
    if (tunnel == null) {
      counters.drop(GreDrop.UNKNOWN_KEY);
      return null;
    }
    drop = tunnel.accept(batch, i, header);
    if (drop != null) {
      tunnel.counters().drop(drop);
      return null;
    }
    return tunnel;
  }

  private static void deliver(GreTunnel tunnel, PacketBatch batch) throws IOException {
    int packets = 0;
    long bytes = 0;
    for (int i = 0; i < batch.count(); i++) {
      if (batch.length(i) > 0) {
        packets++;
        bytes += batch.length(i);
      }
    }
    int written = tunnel.device().write(batch);
    if (written < 0) {
      return; // the tunnel is closing
    }
    tunnel.counters().received(written, written == packets ? bytes : bytes * written / packets);
    tunnel.counters().drop(GreDrop.TUN_WRITE_FAILED, packets - written);
  }

  /** Stops the receive loop and closes the socket. */
  @Override
  public void close() {
    closed = true;
    socket.close();
    try {
      receiver.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
