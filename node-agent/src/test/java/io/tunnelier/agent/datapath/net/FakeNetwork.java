package io.tunnelier.agent.datapath.net;

import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory underlay for unit tests: {@link PacketSocket}s bound to endpoints, where a send
 * delivers a copy of each packet, with the sender as source, to the socket bound to its destination
 * (or nowhere, like a real network). Faithful to the real sockets' contract: batches, headroom,
 * sources, -1 after close. Fault switch: {@link #dropNext(int)}.
 */
public final class FakeNetwork {
  private final Map<Endpoint, FakeSocket> sockets = new ConcurrentHashMap<>();
  private final AtomicInteger dropNext = new AtomicInteger();

  /** A socket bound to {@code local}. For raw-socket semantics bind with port 0. */
  public FakeSocket bind(Endpoint local) {
    FakeSocket s = new FakeSocket(local);
    if (sockets.putIfAbsent(local, s) != null) {
      throw new IllegalStateException("address in use: " + local);
    }
    return s;
  }

  /** The next {@code n} packets sent anywhere are lost. */
  public void dropNext(int n) {
    dropNext.set(n);
  }

  /** Puts a datagram on the wire as if {@code from} had sent it to {@code to}. */
  public void inject(Endpoint from, Endpoint to, byte[] payload) {
    FakeSocket target = sockets.get(to);
    if (target != null) {
      target.queue.add(new Datagram(from, payload));
    }
  }

  private record Datagram(Endpoint source, byte[] payload) {}

  /** One fake socket. */
  public final class FakeSocket implements PacketSocket {
    private final Endpoint local;
    private final BlockingQueue<Datagram> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private FakeSocket(Endpoint local) {
      this.local = local;
    }

    @Override
    public int receive(PacketBatch batch) throws InterruptedIOException {
      batch.clear();
      try {
        Datagram d = null;
        while (!closed && d == null) {
          d = queue.poll(20, TimeUnit.MILLISECONDS);
        }
        if (d == null) {
          return -1;
        }
        do {
          int i = batch.count();
          int room = batch.slotEnd(i) - batch.slotStart(i) - batch.headroom();
          int len = d.payload.length <= room ? d.payload.length : 0;
          batch.add(len);
          batch.buffer().put(batch.offset(i), d.payload, 0, len);
          batch.setSource(i, d.source);
        } while (batch.count() < batch.capacity() && (d = queue.poll()) != null);
        return batch.count();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
    }

    @Override
    public int send(PacketBatch batch) {
      if (closed) {
        return -1;
      }
      int sent = 0;
      for (int i = 0; i < batch.count(); i++) {
        if (batch.destination(i) == null) {
          continue;
        }
        sent++;
        if (dropNext.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
          continue;
        }
        inject(local, batch.destination(i), batch.toArray(i));
      }
      return sent;
    }

    @Override
    public Endpoint localEndpoint() {
      return local;
    }

    @Override
    public void close() {
      closed = true;
      sockets.remove(local, this);
    }
  }
}
