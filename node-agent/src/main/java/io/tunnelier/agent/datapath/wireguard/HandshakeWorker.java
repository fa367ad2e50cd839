package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.wireguard.noise.SourceAddress;
import io.tunnelier.agent.datapath.wireguard.noise.TransportCipher;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handshake messages (initiations, responses, cookie replies) on their own bounded queue and
 * thread, as wireguard-go's handshake queue: on the receive path one costs a copy and, once {@link
 * #CAPACITY} wait, a counted drop, so transport data never waits behind a Diffie-Hellman or a
 * cookie reply, and a flood of them cannot grow memory. Answers, and what a completed handshake
 * releases (staged packets), are sent from this thread.
 */
final class HandshakeWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeWorker.class);

  /** wireguard-go's QueueHandshakeSize. */
  static final int CAPACITY = 1024;

  /** Handled before one send: answers go out in batches under load, promptly otherwise. */
  private static final int PER_SEND = 32;

  private record Message(byte[] bytes, Endpoint source) {}

  private final WireGuardDatapath datapath;
  private final Counters counters;
  private final ArrayBlockingQueue<Message> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final byte[] work = new byte[Output.HEADROOM + Output.MAX_PACKET + Output.TAILROOM];
  private final byte[] source = new byte[SourceAddress.MAX_SIZE];
  private final TransportCipher cipher = new TransportCipher();
  private final Output out = new Output();
  private final PacketBatch replies;

  HandshakeWorker(WireGuardDatapath datapath) {
    this.datapath = datapath;
    this.counters = datapath.counters();
    this.replies = new PacketBatch(PER_SEND * 2, 0, datapath.datagramSlot());
  }

  /** From the receive path (any of its workers): queues a copy, or counts a drop when full. */
  void offer(byte[] buf, int offset, int length, Endpoint from) {
    if (queue.remainingCapacity() == 0
        || !queue.offer(new Message(Arrays.copyOfRange(buf, offset, offset + length), from))) {
      counters.drop(WireGuardDrop.QUEUE_FULL.reason());
    }
  }

  int backlog() {
    return queue.size();
  }

  @Override
  public void run() {
    while (!datapath.closed()) {
      try {
        Message m = queue.poll(100, TimeUnit.MILLISECONDS);
        if (m == null) {
          continue;
        }
        replies.clear();
        int handled = 0;
        long now = System.nanoTime();
        do {
          now = System.nanoTime();
          handle(m, now);
          handled++;
        } while (handled < PER_SEND && (m = queue.poll()) != null);
        datapath.drain(now, cipher, out, replies);
        if (replies.count() > 0) {
          datapath.socket().send(replies);
        }
      } catch (InterruptedException e) {
        break;
      } catch (IOException | RuntimeException e) {
        if (!datapath.closed()) {
          counters.drop("wg-handshake-error");
          LOG.atDebug()
              .setMessage("WireGuard handshake failed")
              .addKeyValue("error", e.toString())
              .log();
        }
      }
    }
  }

  private void handle(Message m, long now) {
    byte[] bytes = m.bytes();
    System.arraycopy(bytes, 0, work, 0, bytes.length);
    int sourceLength = WireGuardDatapath.encode(m.source(), source);
    datapath.peer().decapsulate(work, 0, bytes.length, source, sourceLength, now, cipher, out);
    if (out.authenticated() && !m.source().equals(datapath.endpoint())) {
      datapath.learnEndpoint(m.source());
    }
    switch (out.action()) {
      case SEND_TO_NETWORK -> {
        int j = replies.add(out.length());
        if (j >= 0) {
          replies.buffer().put(replies.offset(j), out.buffer(), out.offset(), out.length());
          replies.setDestination(j, m.source());
        }
      }
      case DROP -> counters.drop(out.dropReason());
      default -> {}
    }
  }
}
