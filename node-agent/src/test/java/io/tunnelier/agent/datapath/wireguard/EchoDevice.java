package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.tun.FakeTunDevice;
import io.tunnelier.agent.datapath.tun.TunDevice;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for a TUN device that is a tiny IPv4 host: it answers ICMP echo requests sent to its
 * address and can originate echo requests, counting the replies. It lets interoperability tests
 * check the protocol against a real WireGuard peer before the TUN device exists; it is test code
 * and never claims to be the datapath.
 */
final class EchoDevice implements TunDevice {
  private final byte[] address;
  private final BlockingQueue<byte[]> toNetwork = new ArrayBlockingQueue<>(1024);
  private final AtomicLong repliesReceived = new AtomicLong();
  private final AtomicLong requestsAnswered = new AtomicLong();
  private volatile boolean closed;

  EchoDevice(byte[] address) {
    this.address = address.clone();
  }

  long repliesReceived() {
    return repliesReceived.get();
  }

  long requestsAnswered() {
    return requestsAnswered.get();
  }

  /** Queues an echo request from this host to {@code destination}. */
  void ping(byte[] destination, int sequence, int payload) {
    toNetwork.offer(echoRequest(address, destination, sequence, payload));
  }

  static byte[] echoRequest(byte[] source, byte[] destination, int sequence) {
    return echoRequest(source, destination, sequence, 56);
  }

  static byte[] echoRequest(byte[] source, byte[] destination, int sequence, int payload) {
    byte[] p = new byte[20 + 8 + payload];
    ipv4Header(p, source, destination);
    p[20] = 8; // echo request
    p[24] = 0x12;
    p[25] = 0x34;
    p[26] = (byte) (sequence >>> 8);
    p[27] = (byte) sequence;
    for (int i = 28; i < p.length; i++) {
      p[i] = (byte) i;
    }
    icmpChecksum(p);
    return p;
  }

  @Override
  public String name() {
    return "echo0";
  }

  @Override
  public int mtu() {
    return 1420;
  }

  @Override
  public int read(PacketBatch batch) {
    batch.clear();
    while (!closed) {
      try {
        byte[] p = toNetwork.poll(100, TimeUnit.MILLISECONDS);
        if (p == null) {
          continue;
        }
        batch.add(p);
        while (batch.count() < batch.capacity() && (p = toNetwork.poll()) != null) {
          batch.add(p);
        }
        return batch.count();
      } catch (InterruptedException e) {
        return -1;
      }
    }
    return -1;
  }

  @Override
  public int readQueued(PacketBatch batch) {
    return FakeTunDevice.readQueued(toNetwork, closed, batch);
  }

  @Override
  public int write(PacketBatch batch) {
    for (int i = 0; i < batch.count(); i++) {
      write(batch.toArray(i));
    }
    return batch.count();
  }

  private void write(byte[] buf) {
    int offset = 0;
    int length = buf.length;
    if (length < 28 || (buf[offset] & 0xf0) != 0x40 || buf[offset + 9] != 1) {
      return;
    }
    int ihl = (buf[offset] & 0x0f) * 4;
    int type = buf[offset + ihl] & 0xff;
    if (type == 0) {
      repliesReceived.incrementAndGet();
    } else if (type == 8) {
      byte[] request = java.util.Arrays.copyOfRange(buf, offset, offset + length);
      byte[] reply = new byte[20 + length - ihl];
      byte[] src = java.util.Arrays.copyOfRange(request, 12, 16);
      ipv4Header(reply, address, src);
      System.arraycopy(request, ihl, reply, 20, length - ihl);
      reply[20] = 0;
      icmpChecksum(reply);
      requestsAnswered.incrementAndGet();
      toNetwork.offer(reply);
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  private static void ipv4Header(byte[] p, byte[] src, byte[] dst) {
    p[0] = 0x45;
    p[2] = (byte) (p.length >>> 8);
    p[3] = (byte) p.length;
    p[8] = 64;
    p[9] = 1;
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(dst, 0, p, 16, 4);
    int sum = checksum(p, 0, 20);
    p[10] = (byte) (sum >>> 8);
    p[11] = (byte) sum;
  }

  private static void icmpChecksum(byte[] p) {
    p[22] = 0;
    p[23] = 0;
    int sum = checksum(p, 20, p.length - 20);
    p[22] = (byte) (sum >>> 8);
    p[23] = (byte) sum;
  }

  private static int checksum(byte[] p, int offset, int length) {
    long sum = 0;
    for (int i = 0; i + 1 < length; i += 2) {
      sum += ((p[offset + i] & 0xff) << 8) | (p[offset + i + 1] & 0xff);
    }
    if ((length & 1) == 1) {
      sum += (p[offset + length - 1] & 0xff) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
