package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.net.PacketSocket;
import io.tunnelier.agent.datapath.wireguard.noise.Messages;
import io.tunnelier.agent.datapath.wireguard.noise.SourceAddress;
import io.tunnelier.agent.datapath.wireguard.noise.TransportCipher;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive direction (wireguard-go's {@code receive.go}): receives a batch of datagrams,
 * decrypts them (split over two threads when the batch is large enough), writes the inner packets
 * to the TUN device in one call, in arrival order, and hands handshake messages to the {@link
 * HandshakeWorker}. Learns the peer's endpoint from authenticated packets (roaming).
 */
final class ReceivePath implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReceivePath.class);
  private static final byte NOTHING = 0;
  private static final byte WRITE = 1;
  private static final byte SEND = 2;

  private final WireGuardDatapath datapath;
  private final PacketSocket socket;
  private final Peer peer;
  private final Counters counters;
  private final PacketBatch in;
  private final PacketBatch toDevice;
  private final PacketBatch replies;
  private final byte[] kind;
  private final int[] produced;
  private final Endpoint[] replyTo;
  private final byte[][] work = new byte[2][];
  private final byte[][] source = new byte[2][];
  private final TransportCipher[] ciphers = new TransportCipher[2];
  private final Output[] outputs = new Output[2];
  private final Splitter splitter;

  private long now;

  ReceivePath(WireGuardDatapath datapath, PacketSocket socket, int batch, boolean parallel) {
    this.datapath = datapath;
    this.socket = socket;
    this.peer = datapath.peer();
    this.counters = datapath.counters();
    int slot = datapath.datagramSlot();
    this.in = new PacketBatch(batch, 0, slot);
    this.toDevice = new PacketBatch(batch, PacketBatch.DEFAULT_HEADROOM, slot);
    this.replies = new PacketBatch(batch * 2, 0, slot);
    this.kind = new byte[batch];
    this.produced = new int[batch];
    this.replyTo = new Endpoint[batch];
    for (int w = 0; w < 2; w++) {
      work[w] = new byte[Output.HEADROOM + Output.MAX_PACKET + Output.TAILROOM];
      source[w] = new byte[SourceAddress.MAX_SIZE];
      ciphers[w] = new TransportCipher();
      outputs[w] = new Output();
    }
    this.splitter = new Splitter("wg-rx-helper-" + datapath.deviceName(), this::decrypt, parallel);
  }

  @Override
  public void run() {
    while (!datapath.closed()) {
      try {
        int n = socket.receive(in);
        if (n < 0) {
          break;
        }
        now = System.nanoTime();
        splitter.run(n);
        compact(n);
        if (toDevice.count() > 0) {
          datapath.device().write(toDevice);
        }
        datapath.drain(now, ciphers[0], outputs[0], replies);
        if (replies.count() > 0) {
          socket.send(replies);
        }
      } catch (IOException | RuntimeException e) {
        if (!datapath.closed()) {
          counters.drop("wg-receive-error");
          LOG.atDebug()
              .setMessage("WireGuard receive failed")
              .addKeyValue("error", e.toString())
              .log();
        }
      }
    }
  }

  /** Handles datagrams {@code [from, until)}; results go to same-numbered slots. */
  private void decrypt(int worker, int from, int until) {
    byte[] buf = work[worker];
    byte[] src = source[worker];
    TransportCipher cipher = ciphers[worker];
    Output result = outputs[worker];
    for (int i = from; i < until; i++) {
      kind[i] = NOTHING;
      int length = in.length(i);
      if (length == 0) {
        counters.drop("wg-truncated");
        continue;
      }
      int type = in.buffer().get(in.offset(i));
      if (type == Messages.TYPE_INITIATION
          || type == Messages.TYPE_RESPONSE
          || type == Messages.TYPE_COOKIE_REPLY) {
        // Handshakes go to their own queue and thread: a flood of them never stalls the data.
        in.buffer().get(in.offset(i), buf, 0, length);
        datapath.handshakes().offer(buf, 0, length, in.source(i));
        continue;
      }
      in.buffer().get(in.offset(i), buf, 0, length);
      peer.decapsulate(buf, 0, length, src, 0, now, cipher, result);
      if (result.authenticated()) {
        Endpoint current = datapath.endpoint();
        if (current == null || !in.sourceMatches(i, current, true)) {
          datapath.learnEndpoint(in.source(i));
        }
      }
      switch (result.action()) {
        case WRITE_TO_TUNNEL -> {
          toDevice
              .buffer()
              .put(
                  toDevice.slotStart(i) + toDevice.headroom(),
                  result.buffer(),
                  result.offset(),
                  result.length());
          kind[i] = WRITE;
          produced[i] = result.length();
          counters.rxPackets.increment();
          counters.rxBytes.add(result.length());
        }
        case SEND_TO_NETWORK -> {
          replies
              .buffer()
              .put(replies.slotStart(i), result.buffer(), result.offset(), result.length());
          kind[i] = SEND;
          produced[i] = result.length();
          replyTo[i] = in.source(i);
        }
        case DROP -> counters.drop(result.dropReason());
        default -> {}
      }
    }
  }

  /** Gathers the results into the device and reply batches, in arrival order. */
  private void compact(int n) {
    int w = 0;
    int s = 0;
    int headroom = toDevice.headroom();
    for (int i = 0; i < n; i++) {
      int length = produced[i];
      if (kind[i] == WRITE) {
        if (w != i) {
          toDevice
              .buffer()
              .put(
                  toDevice.slotStart(w) + headroom,
                  toDevice.buffer(),
                  toDevice.slotStart(i) + headroom,
                  length);
        }
        toDevice.set(w, toDevice.slotStart(w) + headroom, length);
        w++;
      } else if (kind[i] == SEND) {
        if (s != i) {
          replies
              .buffer()
              .put(replies.slotStart(s), replies.buffer(), replies.slotStart(i), length);
        }
        replies.set(s, replies.slotStart(s), length);
        replies.setDestination(s, replyTo[i]);
        replyTo[i] = null;
        s++;
      }
    }
    toDevice.setCount(w);
    replies.setCount(s);
  }

  @Override
  public void close() {
    splitter.close();
  }
}
