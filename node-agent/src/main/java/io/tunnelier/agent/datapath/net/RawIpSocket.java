package io.tunnelier.agent.datapath.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A raw IP socket for one IP protocol (e.g. 47, GRE), IPv4 or IPv6 by the family of {@code local}:
 * the kernel builds the outer header on send (addresses, lengths, identification, IPv4's header
 * checksum) and hands over every packet of that protocol addressed to this namespace (to {@code
 * local} when bound) on receive. An IPv4 raw socket delivers the IPv4 header too, which {@link
 * #receive} skips; an IPv6 one delivers the payload alone (RFC 3542 3). Batched with {@code
 * recvmmsg}/{@code sendmmsg}. Needs CAP_NET_RAW.
 */
public final class RawIpSocket implements PacketSocket {
  private static final int IPV4_MIN_HEADER = 20;

  private final PollableFd fd;
  private final Endpoint local;
  private final boolean ipv4;
  private final MessageVector rx;
  private final MessageVector tx;

  // Activity counters: one writer each (the receiving thread, the sending thread).
  private long receiveCalls;
  private long packetsReceived;
  private long sendCalls;
  private long packetsSent;

  private RawIpSocket(PollableFd fd, Endpoint local, int batch) {
    this.fd = fd;
    this.local = local;
    this.ipv4 = local.isIpv4();
    this.rx = new MessageVector(batch, batch);
    this.tx = new MessageVector(batch, batch);
  }

  /**
   * Opens a raw socket for {@code protocol}, of {@code local}'s family (IPv4 when null).
   *
   * @param local address to bind (only packets to it are received), or null for any IPv4 address
   * @param batch the largest batch this socket will move at once
   */
  public static RawIpSocket open(int protocol, Endpoint local, int batch) throws IOException {
    Endpoint bound = local == null ? Endpoint.ipv4(0, 0) : local.withPort(0);
    int family = bound.family();
    int s =
        Native.libc().socket(family, SocketOptions.SOCK_RAW | SocketOptions.SOCK_CLOEXEC, protocol);
    if (s < 0) {
      throw Native.error(
          "socket("
              + (family == Endpoint.AF_INET ? "AF_INET" : "AF_INET6")
              + ", SOCK_RAW, "
              + protocol
              + ")");
    }
    PollableFd fd = new PollableFd(s, "raw socket (protocol " + protocol + ")");
    try {
      SocketOptions.setBuffers(s);
      SocketOptions.bind(s, bound, fd.what());
      return new RawIpSocket(fd, bound, batch);
    } catch (IOException | RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  @Override
  public Endpoint localEndpoint() {
    return local;
  }

  @Override
  public java.util.Map<String, Long> counters() {
    return java.util.Map.of(
        "socket.receiveCalls", receiveCalls,
        "socket.datagramsReceived", packetsReceived,
        "socket.sendCalls", sendCalls,
        "socket.datagramsSent", packetsSent);
  }

  @Override
  public int receive(PacketBatch batch) throws IOException {
    if (!fd.enter()) {
      return -1;
    }
    try {
      int n = Math.min(batch.capacity(), rx.messages());
      for (int i = 0; i < n; i++) {
        int start = batch.slotStart(i) + batch.headroom();
        rx.setIov(i, batch.address() + start, batch.slotEnd(i) - start);
        rx.setMessage(
            i, batch.sources().address(batch.sourceOffset(i)), Endpoint.SOCKADDR_SIZE, i, 1, 0, 0);
      }
      int got;
      while (true) {
        got = Native.libc().recvmmsg(fd.fd(), rx.msgsAddress(0), n, MessageVector.MSG_DONTWAIT, 0);
        receiveCalls++;
        if (got > 0) {
          break;
        }
        int errno = Native.errno();
        if (got < 0 && errno == Errno.EAGAIN) {
          if (!fd.awaitReadable()) {
            return -1;
          }
        } else if (got < 0 && errno != Errno.EINTR) {
          throw new ErrnoException("recvmmsg on " + fd.what(), errno);
        }
      }
      ByteBuffer b = batch.buffer();
      for (int i = 0; i < got; i++) {
        int start = batch.slotStart(i) + batch.headroom();
        int len = rx.length(i);
        if ((rx.flags(i) & MessageVector.MSG_TRUNC) != 0) {
          batch.set(i, start, 0);
          continue;
        }
        if (!ipv4) {
          batch.set(i, start, len);
          continue;
        }
        if (len < IPV4_MIN_HEADER) {
          batch.set(i, start, 0);
          continue;
        }
        // The kernel validated this header before queueing the packet; we only skip it.
        int ihl = (b.get(start) & 0x0F) * 4;
        batch.set(i, start + ihl, Math.max(0, len - ihl));
      }
      batch.setCount(got);
      packetsReceived += got;
      return got;
    } finally {
      fd.exit();
    }
  }

  @Override
  public synchronized int send(PacketBatch batch) throws IOException {
    if (!fd.enter()) {
      return -1;
    }
    try {
      int n = batch.count();
      int sent = 0;
      int i = 0;
      while (i < n) {
        int m = 0;
        Endpoint previous = null;
        int nameLength = 0;
        long name = 0;
        for (; i < n && m < tx.messages(); i++) {
          Endpoint to = batch.destination(i);
          if (to == null) {
            continue; // dropped by the caller
          }
          if (to != previous) {
            // Consecutive packets to the same peer share one sockaddr.
            name = tx.nameAddress(m);
            nameLength = to.writeSockaddr(tx.names.buffer(), tx.nameOffset(m));
            previous = to;
          }
          tx.setIov(m, batch.address() + batch.offset(i), batch.length(i));
          tx.setMessage(m, name, nameLength, m, 1, 0, 0);
          m++;
        }
        int done = 0;
        while (done < m) {
          int r = Native.libc().sendmmsg(fd.fd(), tx.msgsAddress(done), m - done, 0);
          sendCalls++;
          if (r > 0) {
            done += r;
            sent += r;
            continue;
          }
          int errno = Native.errno();
          if (errno == Errno.EINTR) {
            continue;
          }
          if (fd.isClosed()) {
            return sent;
          }
          // The first remaining packet was refused (no route, filtered, too big): skip it.
          done++;
        }
      }
      packetsSent += sent;
      return sent;
    } finally {
      fd.exit();
    }
  }

  @Override
  public void close() {
    fd.close();
  }
}
