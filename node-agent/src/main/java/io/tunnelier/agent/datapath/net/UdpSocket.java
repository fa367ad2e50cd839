package io.tunnelier.agent.datapath.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A UDP socket (IPv4 or IPv6, by the family of its local address) moving batches with {@code
 * recvmmsg}/{@code sendmmsg}, and with the kernel's UDP offloads when asked:
 *
 * <ul>
 *   <li>GSO ({@code UDP_SEGMENT}): consecutive packets to the same destination with the same length
 *       (the last may be shorter) leave in one message, split into datagrams by the kernel;
 *   <li>GRO ({@code UDP_GRO}): the kernel hands over several datagrams of one flow as one buffer
 *       with their segment size; {@link #receive} splits them back into batch slots.
 * </ul>
 *
 * If the kernel refuses GSO on a send (EIO: the route's device lacks checksum offload), the socket
 * falls back to one datagram per message for good.
 */
public final class UdpSocket implements PacketSocket {
  /** Most datagrams the kernel accepts in one GSO send (UDP_MAX_SEGMENTS). */
  static final int GSO_MAX_SEGMENTS = 64;

  /** Most payload one GSO send may carry (IPv4 total length 65535 - IPv4 20 - UDP 8). */
  static final int GSO_MAX_BYTES = 65507;

  private static final int GRO_BUFFER = 65536;
  private static final int GRO_MESSAGES = 8;

  private final PollableFd fd;
  private final Endpoint local;
  private final MessageVector rx;
  private final MessageVector tx;
  private final int[] packetsInMessage;
  private final int[] firstPacketOfMessage;
  private volatile boolean gso;
  private int preparedUpTo;
  private final boolean gro;

  // GRO receive: coalesced messages land in the caller's batch memory when it has room for them
  // (then each datagram becomes a view where it lies: no copy), else in groBuffers, from where
  // each datagram is copied into its slot. What does not fit in one batch waits for the next
  // receive, where it landed. The split walks the messages' datagrams.
  private final NativeBuffer groBuffers;
  private PacketBatch landing; // the batch holding the received messages; null: groBuffers
  private final GroSplitter split = new GroSplitter(new ReceivedMessages());

  // Activity counters: one writer each (the receiving thread, the sending thread).
  private long receiveCalls;
  private long datagramsReceived;
  private long sendCalls;
  private long datagramsSent;

  private UdpSocket(PollableFd fd, Endpoint local, int batch, boolean gso, boolean gro) {
    this.fd = fd;
    this.local = local;
    this.gso = gso;
    this.gro = gro;
    this.rx = new MessageVector(gro ? GRO_MESSAGES : batch, gro ? GRO_MESSAGES : batch);
    this.tx = new MessageVector(batch, batch);
    this.packetsInMessage = new int[batch];
    this.firstPacketOfMessage = new int[batch];
    this.groBuffers = gro ? new NativeBuffer(GRO_MESSAGES * GRO_BUFFER) : null;
  }

  /** Options for {@link #open}. */
  public record Options(int batch, boolean gso, boolean gro) {
    public static Options plain(int batch) {
      return new Options(batch, false, false);
    }

    public static Options offloads(int batch) {
      return new Options(batch, true, true);
    }
  }

  /**
   * Opens a UDP socket bound to {@code local} (its family decides IPv4 or IPv6; port 0 picks one).
   * GSO and GRO are enabled when asked and the kernel accepts them.
   */
  public static UdpSocket open(Endpoint local, Options options) throws IOException {
    int s =
        Native.libc()
            .socket(local.family(), SocketOptions.SOCK_DGRAM | SocketOptions.SOCK_CLOEXEC, 0);
    if (s < 0) {
      throw Native.error("socket(UDP)");
    }
    PollableFd fd = new PollableFd(s, "udp socket " + local);
    try {
      SocketOptions.setBuffers(s);
      if (!local.isIpv4()) {
        SocketOptions.setInt(s, SocketOptions.SOL_IPV6, SocketOptions.IPV6_V6ONLY, 1);
      }
      SocketOptions.bind(s, local, fd.what());
      boolean gro =
          options.gro()
              && SocketOptions.setInt(s, SocketOptions.SOL_UDP, SocketOptions.UDP_GRO, 1) == 0;
      return new UdpSocket(fd, SocketOptions.localEndpoint(s), options.batch(), options.gso(), gro);
    } catch (IOException | RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  @Override
  public Endpoint localEndpoint() {
    return local;
  }

  /** Whether sends still use UDP GSO (false after the kernel refused it). */
  public boolean gsoEnabled() {
    return gso;
  }

  public boolean groEnabled() {
    return gro;
  }

  @Override
  public java.util.Map<String, Long> counters() {
    return java.util.Map.of(
        "socket.receiveCalls", receiveCalls,
        "socket.datagramsReceived", datagramsReceived,
        "socket.sendCalls", sendCalls,
        "socket.datagramsSent", datagramsSent);
  }

  @Override
  public int receive(PacketBatch batch) throws IOException {
    if (!fd.enter()) {
      return -1;
    }
    try {
      int n = gro ? receiveCoalesced(batch) : receiveEach(batch);
      datagramsReceived += Math.max(0, n);
      return n;
    } finally {
      fd.exit();
    }
  }

  private int receiveEach(PacketBatch batch) throws IOException {
    int n = Math.min(batch.capacity(), rx.messages());
    for (int i = 0; i < n; i++) {
      int start = batch.slotStart(i) + batch.headroom();
      rx.setIov(i, batch.address() + start, batch.slotEnd(i) - start);
      rx.setMessage(
          i, batch.sources().address(batch.sourceOffset(i)), Endpoint.SOCKADDR_SIZE, i, 1, 0, 0);
    }
    int got = recvmmsg(n);
    if (got < 0) {
      return -1;
    }
    for (int i = 0; i < got; i++) {
      boolean truncated = (rx.flags(i) & MessageVector.MSG_TRUNC) != 0;
      batch.setAfterHeadroom(i, truncated ? 0 : rx.length(i));
    }
    batch.setCount(got);
    return got;
  }

  private int receiveCoalesced(PacketBatch batch) throws IOException {
    if (!split.pending()) {
      landing = batch.buffer().capacity() >= GRO_MESSAGES * GRO_BUFFER ? batch : null;
      long base = landing != null ? batch.address() : groBuffers.address(0);
      for (int m = 0; m < GRO_MESSAGES; m++) {
        rx.setIov(m, base + (long) m * GRO_BUFFER, GRO_BUFFER);
        rx.setMessage(
            m,
            rx.nameAddress(m),
            Endpoint.SOCKADDR_SIZE,
            m,
            1,
            rx.controlAddress(m),
            MessageVector.CONTROL_SIZE);
      }
      int got = recvmmsg(GRO_MESSAGES);
      if (got < 0) {
        return -1;
      }
      split.start(got);
    }
    ByteBuffer names = rx.names.buffer();
    ByteBuffer sources = batch.sources().buffer();
    boolean inPlace = landing == batch;
    ByteBuffer gros = landing != null ? landing.buffer() : groBuffers.buffer();
    int count = 0;
    while (split.next(count, batch.capacity(), batch.maxPacket())) {
      int m = split.message();
      int at = m * GRO_BUFFER + split.offset();
      int len = split.slotLength();
      if (len == 0) {
        // An empty datagram (anyone may send one), or one larger than a slot holds: an empty
        // slot, which the datapath drops and counts as truncated, as receiveEach hands it over.
        batch.setAfterHeadroom(count, 0);
      } else if (inPlace) {
        // Where the kernel put it; the TCP checksum check sums it when it needs to.
        batch.setView(count, at, len);
      } else {
        // Copy and sum in one pass: the complete sum spares the TCP checksum check a re-read.
        int start = batch.slotStart(count) + batch.headroom();
        long sum = Checksum.copyAndAdd(0, gros, at, batch.buffer(), start, len);
        batch.setAfterHeadroom(count, len);
        batch.setCompleteSum(count, start, Checksum.fold(sum));
      }
      copySource(names, rx.nameOffset(m), sources, batch.sourceOffset(count));
      count++;
    }
    batch.setCount(count);
    return count;
  }

  /** The received messages as {@link GroSplitter} reads them: length and GRO segment size. */
  private final class ReceivedMessages implements GroSplitter.Messages {
    @Override
    public int length(int message) {
      return rx.length(message);
    }

    @Override
    public int groSegment(int message) {
      boolean truncated = (rx.flags(message) & MessageVector.MSG_TRUNC) != 0;
      return truncated ? 0 : rx.controlInt(message, SocketOptions.SOL_UDP, SocketOptions.UDP_GRO);
    }
  }

  private static void copySource(ByteBuffer names, int from, ByteBuffer sources, int to) {
    for (int k = 0; k < Endpoint.SOCKADDR_SIZE; k += 8) {
      sources.putLong(to + k, names.getLong(from + k));
    }
  }

  /** recvmmsg, waiting in poll while nothing is queued; -1 once closed. */
  private int recvmmsg(int n) throws IOException {
    while (true) {
      int got =
          Native.libc().recvmmsg(fd.fd(), rx.msgsAddress(0), n, MessageVector.MSG_DONTWAIT, 0);
      receiveCalls++;
      if (got > 0) {
        return got;
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
  }

  @Override
  public synchronized int send(PacketBatch batch) throws IOException {
    if (!fd.enter()) {
      return -1;
    }
    try {
      int n = batch.count();
      int sent = 0;
      int first = 0;
      while (first < n) {
        int messages = prepare(batch, first, n);
        int next = preparedUpTo;
        int done = 0;
        while (done < messages) {
          int r = Native.libc().sendmmsg(fd.fd(), tx.msgsAddress(done), messages - done, 0);
          sendCalls++;
          if (r > 0) {
            for (int k = done; k < done + r; k++) {
              sent += packetsInMessage[k];
            }
            done += r;
            continue;
          }
          int errno = Native.errno();
          if (errno == Errno.EINTR) {
            continue;
          }
          if (fd.isClosed()) {
            return sent;
          }
          if (gso && packetsInMessage[done] > 1 && (errno == Errno.EIO || errno == Errno.EINVAL)) {
            // The kernel cannot segment on this path: send one datagram per message from now on.
            gso = false;
            next = firstPacketOfMessage[done];
            break;
          }
          done++; // refused (no route, filtered, too big): skip its packets
        }
        first = next;
      }
      datagramsSent += sent;
      return sent;
    } finally {
      fd.exit();
    }
  }

  /**
   * Builds messages for packets from {@code first}; returns how many messages, and leaves in {@link
   * #preparedUpTo} the index of the first packet not covered.
   */
  private int prepare(PacketBatch batch, int first, int n) {
    int messages = 0;
    int iov = 0;
    int i = first;
    Endpoint previous = null;
    long name = 0;
    int nameLength = 0;
    while (i < n && messages < tx.messages() && iov < tx.iovecs()) {
      Endpoint to = batch.destination(i);
      if (to == null) {
        i++; // dropped by the caller
        continue;
      }
      if (to != previous) {
        name = tx.nameAddress(messages);
        nameLength = to.writeSockaddr(tx.names.buffer(), tx.nameOffset(messages));
        previous = to;
      }
      int size = batch.length(i);
      int count = 1;
      int bytes = size;
      tx.setIov(iov, batch.address() + batch.offset(i), size);
      if (gso && size > 0) {
        // Same destination, same size; a shorter one may close the group.
        while (i + count < n
            && count < GSO_MAX_SEGMENTS
            && iov + count < tx.iovecs()
            && batch.destination(i + count) == to
            && batch.length(i + count) <= size
            && batch.length(i + count) > 0
            && bytes + batch.length(i + count) <= GSO_MAX_BYTES) {
          int len = batch.length(i + count);
          tx.setIov(iov + count, batch.address() + batch.offset(i + count), len);
          bytes += len;
          count++;
          if (len < size) {
            break;
          }
        }
      }
      if (count > 1) {
        int ctrl =
            tx.putControlShort(messages, SocketOptions.SOL_UDP, SocketOptions.UDP_SEGMENT, size);
        tx.setMessage(messages, name, nameLength, iov, count, tx.controlAddress(messages), ctrl);
      } else {
        tx.setMessage(messages, name, nameLength, iov, 1, 0, 0);
      }
      packetsInMessage[messages] = count;
      firstPacketOfMessage[messages] = i;
      messages++;
      iov += count;
      i += count;
    }
    preparedUpTo = i;
    return messages;
  }

  @Override
  public void close() {
    fd.close();
  }
}
