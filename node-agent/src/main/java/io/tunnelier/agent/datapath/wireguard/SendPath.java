package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.tun.TunDevice;
import io.tunnelier.agent.datapath.wireguard.noise.TransportCipher;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send direction (wireguard-go's {@code send.go}): reads a batch of inner packets from the TUN
 * device, encrypts them (split over two threads when the batch is large enough), and hands the
 * transport messages to the socket in one call, in the order the packets were read.
 */
final class SendPath implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SendPath.class);

  private final WireGuardDatapath datapath;
  private final TunDevice device;
  private final Peer peer;
  private final Counters counters;
  private final PacketBatch in;
  private final PacketBatch out;
  private final int[] produced;
  private final byte[][] work = new byte[2][];
  private final TransportCipher[] ciphers = new TransportCipher[2];
  private final Output[] outputs = new Output[2];
  private final Splitter splitter;

  // The batch in flight; published to the helper by the splitter's volatile handoff.
  private long now;
  private Endpoint to;

  SendPath(WireGuardDatapath datapath, TunDevice device, int batch, int mtu, boolean parallel) {
    this.datapath = datapath;
    this.device = device;
    this.peer = datapath.peer();
    this.counters = datapath.counters();
    this.in = new PacketBatch(batch, PacketBatch.DEFAULT_HEADROOM, mtu + 64);
    this.out = new PacketBatch(batch * 2, 0, datapath.datagramSlot());
    this.produced = new int[batch];
    for (int w = 0; w < 2; w++) {
      work[w] = new byte[Output.HEADROOM + Output.MAX_PACKET + Output.TAILROOM];
      ciphers[w] = new TransportCipher();
      outputs[w] = new Output();
    }
    this.splitter = new Splitter("wg-tx-helper-" + device.name(), this::encrypt, parallel);
  }

  @Override
  public void run() {
    while (!datapath.closed()) {
      try {
        int n = device.read(in);
        if (n < 0) {
          break;
        }
        now = System.nanoTime();
        to = datapath.endpoint();
        splitter.run(n);
        out.clear();
        compact(n);
        datapath.drain(now, ciphers[0], outputs[0], out);
        if (out.count() > 0) {
          datapath.socket().send(out);
        }
      } catch (IOException | RuntimeException e) {
        if (!datapath.closed()) {
          counters.drop("wg-send-error");
          LOG.atDebug()
              .setMessage("WireGuard send failed")
              .addKeyValue("error", e.toString())
              .log();
        }
      }
    }
  }

  /** Encrypts packets {@code [from, until)} into the same-numbered slots of the out batch. */
  private void encrypt(int worker, int from, int until) {
    byte[] buf = work[worker];
    TransportCipher cipher = ciphers[worker];
    Output result = outputs[worker];
    for (int i = from; i < until; i++) {
      produced[i] = -1;
      int length = in.length(i);
      if (length > Output.MAX_PACKET) {
        counters.drop(WireGuardDrop.TOO_BIG.reason());
        continue;
      }
      in.buffer().get(in.offset(i), buf, Output.HEADROOM, length);
      peer.encapsulate(buf, Output.HEADROOM, length, now, cipher, result);
      switch (result.action()) {
        case SEND_TO_NETWORK -> {
          if (to == null) {
            counters.drop("wg-no-endpoint");
            continue;
          }
          out.buffer().put(out.slotStart(i), result.buffer(), result.offset(), result.length());
          produced[i] = result.length();
          if (result.buffer() == buf) {
            counters.txPackets.increment();
            counters.txBytes.add(length);
          }
        }
        case DROP -> counters.drop(result.dropReason());
        default -> {}
      }
    }
  }

  /** Closes the gaps left by packets that produced nothing, keeping their order. */
  private void compact(int n) {
    int j = 0;
    for (int i = 0; i < n; i++) {
      int length = produced[i];
      if (length < 0) {
        continue;
      }
      if (j != i) {
        out.buffer().put(out.slotStart(j), out.buffer(), out.slotStart(i), length);
      }
      out.set(j, out.slotStart(j), length);
      out.setDestination(j, to);
      j++;
    }
    out.setCount(j);
  }

  @Override
  public void close() {
    splitter.close();
  }
}
