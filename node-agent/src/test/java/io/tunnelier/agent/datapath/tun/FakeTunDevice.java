package io.tunnelier.agent.datapath.tun;

import io.tunnelier.agent.datapath.net.PacketBatch;
import java.io.InterruptedIOException;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory TUN device for unit tests: what the test {@link #inject}s is what {@link #read}
 * returns (as the kernel routing a packet into the device would), and what the datapath {@link
 * #write}s lands in {@link #written()} (as the kernel receiving it would). Same contract as {@link
 * LinuxTunDevice} without offloads: one packet per slot, -1 after close.
 */
public final class FakeTunDevice implements TunDevice {
  private final String name;
  private final int mtu;
  private final BlockingQueue<byte[]> toRead = new LinkedBlockingQueue<>();
  private final BlockingQueue<byte[]> written = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  public FakeTunDevice(String name, int mtu) {
    this.name = name;
    this.mtu = mtu;
  }

  /** A packet the kernel routed into the device. */
  public void inject(byte[] packet) {
    toRead.add(packet.clone());
  }

  /** Packets the datapath wrote to the device, oldest first. */
  public BlockingQueue<byte[]> written() {
    return written;
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int mtu() {
    return mtu;
  }

  @Override
  public int read(PacketBatch batch) throws InterruptedIOException {
    batch.clear();
    try {
      byte[] p = null;
      while (!closed && p == null) {
        p = toRead.poll(20, TimeUnit.MILLISECONDS);
      }
      if (p == null) {
        return -1;
      }
      do {
        batch.add(p);
      } while (batch.count() < batch.capacity() && (p = toRead.poll()) != null);
      return batch.count();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  @Override
  public int readQueued(PacketBatch batch) {
    return readQueued(toRead, closed, batch);
  }

  /** {@link TunDevice#readQueued} for an in-memory device whose kernel side is {@code queue}. */
  public static int readQueued(Queue<byte[]> queue, boolean closed, PacketBatch batch) {
    batch.clear();
    if (closed) {
      return -1;
    }
    byte[] p;
    while (batch.count() < batch.capacity() && (p = queue.poll()) != null) {
      batch.add(p);
    }
    return batch.count();
  }

  /** Whether a read would find packets now (or that the device is closed): what poll tells. */
  boolean readable() {
    return closed || !toRead.isEmpty();
  }

  @Override
  public int write(PacketBatch batch) {
    if (closed) {
      return -1;
    }
    int n = 0;
    for (int i = 0; i < batch.count(); i++) {
      if (batch.length(i) > 0) {
        written.add(batch.toArray(i));
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    closed = true;
  }
}
