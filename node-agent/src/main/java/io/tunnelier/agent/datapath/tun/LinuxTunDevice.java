package io.tunnelier.agent.datapath.tun;

import io.tunnelier.agent.datapath.net.Errno;
import io.tunnelier.agent.datapath.net.ErrnoException;
import io.tunnelier.agent.datapath.net.Ipv6AddressGeneration;
import io.tunnelier.agent.datapath.net.LinkControl;
import io.tunnelier.agent.datapath.net.Native;
import io.tunnelier.agent.datapath.net.NativeBuffer;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.net.PollableFd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Linux TUN device ({@code /dev/net/tun}, {@code TUNSETIFF} with {@code IFF_TUN | IFF_NO_PI}),
 * created in the network namespace of the calling thread and removed when closed (it is not
 * persistent).
 *
 * <p>With {@link TunOptions#offloads()} it also sets {@code IFF_VNET_HDR} and {@code
 * TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN)}: the kernel then hands over
 * TCP super-packets of up to 64 KiB with one {@code read}, which {@link #read} segments ({@link
 * TsoSegmenter}), and {@link #write} merges in-order TCP segments of a flow into one super-packet
 * per {@code writev} ({@link TcpCoalescer}). Those are the system calls per byte saved.
 */
public final class LinuxTunDevice implements TunDevice {
  private static final long TUNSETIFF = 0x400454caL;
  private static final long TUNSETOFFLOAD = 0x400454d0L;
  private static final long TUNSETVNETHDRSZ = 0x400454d8L;
  private static final short IFF_TUN = 0x0001;
  private static final short IFF_NO_PI = 0x1000;
  private static final short IFF_VNET_HDR = 0x4000;
  private static final int TUN_F_CSUM = 0x01;
  private static final int TUN_F_TSO4 = 0x02;
  private static final int TUN_F_TSO6 = 0x04;
  private static final int TUN_F_TSO_ECN = 0x08;
  private static final int O_RDWR = 2;
  private static final int O_NONBLOCK = 0x800;
  private static final int O_CLOEXEC = 0x80000;

  /** Where a read puts the virtio header, so the packet after it starts 8-byte aligned. */
  private static final int VNET_AT = 16 - VirtioNetHeader.SIZE;

  private static final int READ_BUFFER = 16 + 65536;

  /** Drop reasons counted by the device itself. */
  enum Drop {
    /** An empty read, or one shorter than the virtio header: nothing to send. */
    EMPTY("tun-empty"),
    BAD_GSO("tun-bad-gso"),
    OVERSIZE("tun-oversize"),
    WRITE_REFUSED("tun-write-refused");

    final String label;

    Drop(String label) {
      this.label = label;
    }
  }

  private final PollableFd fd;
  private final String name;
  private final boolean vnet;
  private final AtomicLongArray drops = new AtomicLongArray(Drop.values().length);

  // Activity counters: one writer each (the reading thread, the writing lock holder).
  private long readCalls;
  private long superPacketsRead;
  private long packetsRead;
  private long writeCalls;
  private long packetsWritten;

  // Read side (one reader thread).
  private final NativeBuffer readBuffer;
  private final ByteBuffer readNative;
  private final ByteBuffer readPacket;
  private int pendingLength;
  private int pendingNext;
  private int pendingSegments;
  private boolean pendingIpv4;
  private int pendingCsumStart;
  private int pendingGsoSize;

  // Write side (serialised by the lock).
  private final Object writeLock = new Object();
  private final NativeBuffer iov;
  private final NativeBuffer vnetHeader;
  private final TcpCoalescer coalescer;
  private final int maxIov;

  private LinuxTunDevice(PollableFd fd, String name, boolean vnet, int batch) {
    this.fd = fd;
    this.name = name;
    this.vnet = vnet;
    this.readBuffer = new NativeBuffer(READ_BUFFER);
    this.readNative = readBuffer.buffer();
    this.readPacket = readBuffer.buffer().duplicate().order(ByteOrder.BIG_ENDIAN);
    this.maxIov = batch + 2;
    this.iov = new NativeBuffer(16 * maxIov);
    this.vnetHeader = new NativeBuffer(16);
    this.coalescer = vnet ? new TcpCoalescer(batch) : null;
  }

  /**
   * Creates the device in the calling thread's network namespace, sets its MTU and brings it up.
   */
  public static LinuxTunDevice open(TunOptions options) throws IOException {
    int raw = Native.libc().open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (raw < 0) {
      throw Native.error("open /dev/net/tun");
    }
    PollableFd fd = new PollableFd(raw, "tun " + options.name());
    try {
      NativeBuffer ifreq = new NativeBuffer(40);
      byte[] nameBytes = options.name().getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < nameBytes.length; i++) {
        ifreq.buffer().put(i, nameBytes[i]);
      }
      short flags = (short) (IFF_TUN | IFF_NO_PI | (options.offloads() ? IFF_VNET_HDR : 0));
      ifreq.buffer().putShort(16, flags);
      if (Native.libc().ioctl(raw, TUNSETIFF, ifreq.address()) < 0) {
        throw Native.error("TUNSETIFF " + options.name());
      }
      int n = 0;
      while (n < 16 && ifreq.buffer().get(n) != 0) {
        n++;
      }
      byte[] actual = new byte[n];
      ifreq.buffer().get(0, actual);
      String name = new String(actual, StandardCharsets.US_ASCII);
      if (options.offloads()) {
        NativeBuffer size = new NativeBuffer(4);
        size.buffer().putInt(0, VirtioNetHeader.SIZE);
        if (Native.libc().ioctl(raw, TUNSETVNETHDRSZ, size.address()) < 0) {
          throw Native.error("TUNSETVNETHDRSZ " + name);
        }
        int offloads = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;
        Native.libc().ioctl(raw, TUNSETOFFLOAD, offloads); // refused: no super-packets, that is all
      }
      if (options.mtu() > 0) {
        LinkControl.setMtu(name, options.mtu());
      }
      // Before up: no IPv6 link-local address, so the kernel sends nothing of its own inside.
      Ipv6AddressGeneration.disable(name);
      LinkControl.up(name);
      return new LinuxTunDevice(fd, name, options.offloads(), options.batch());
    } catch (IOException | RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int mtu() {
    try {
      return LinkControl.mtu(name);
    } catch (ErrnoException e) {
      return -1;
    }
  }

  /** Packets the device dropped, by reason (malformed super-packets, refused writes). */
  @Override
  public Map<String, Long> drops() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Drop d : Drop.values()) {
      long v = drops.get(d.ordinal());
      if (v > 0) {
        out.put(d.label, v);
      }
    }
    return out;
  }

  @Override
  public Map<String, Long> counters() {
    return Map.of(
        "tun.readCalls", readCalls,
        "tun.superPacketsRead", superPacketsRead,
        "tun.packetsRead", packetsRead,
        "tun.writeCalls", writeCalls,
        "tun.packetsWritten", packetsWritten);
  }

  @Override
  public int read(PacketBatch batch) throws IOException {
    return read(batch, true);
  }

  @Override
  public int readQueued(PacketBatch batch) throws IOException {
    return read(batch, false);
  }

  /**
   * The descriptor to poll for readability ({@link PollTunWaiter}); never read from it directly.
   */
  int pollFd() {
    return fd.isClosed() ? -1 : fd.fd();
  }

  private int read(PacketBatch batch, boolean block) throws IOException {
    if (!fd.enter()) {
      return -1;
    }
    try {
      batch.clear();
      if (pendingLength > 0) {
        continuePending(batch);
      }
      while (batch.count() < batch.capacity()) {
        boolean wait = block && batch.count() == 0;
        int r = vnet ? readOneVnet(batch, wait) : readOnePlain(batch, wait);
        if (r < 0) {
          return batch.count() > 0 ? batch.count() : -1;
        }
        if (r == 0) {
          break; // nothing more queued right now
        }
        if (pendingLength > 0) {
          break; // batch full mid super-packet
        }
      }
      packetsRead += batch.count();
      return batch.count();
    } finally {
      fd.exit();
    }
  }

  /** One read into the next slot: 1 on a packet, 0 when nothing is queued, -1 when closed. */
  private int readOnePlain(PacketBatch batch, boolean wait) throws IOException {
    int i = batch.count();
    int start = batch.slotStart(i) + batch.headroom();
    while (true) {
      long n = Native.libc().read(fd.fd(), batch.address() + start, batch.slotEnd(i) - start);
      readCalls++;
      if (n > 0) {
        batch.add((int) n);
        return 1;
      }
      if (n == 0) {
        drops.incrementAndGet(Drop.EMPTY.ordinal());
        return 1;
      }
      int errno = Native.errno();
      if (n < 0 && errno == Errno.EAGAIN) {
        if (!wait) {
          return 0;
        }
        if (!fd.awaitReadable()) {
          return -1;
        }
      } else if (n < 0 && errno != Errno.EINTR) {
        throw new ErrnoException("read " + name, errno);
      }
    }
  }

  private int readOneVnet(PacketBatch batch, boolean wait) throws IOException {
    long n;
    while (true) {
      n = Native.libc().read(fd.fd(), readBuffer.address(VNET_AT), READ_BUFFER - VNET_AT);
      readCalls++;
      if (n > 0) {
        break;
      }
      int errno = Native.errno();
      if (n < 0 && errno == Errno.EAGAIN) {
        if (!wait) {
          return 0;
        }
        if (!fd.awaitReadable()) {
          return -1;
        }
      } else if (n < 0 && errno != Errno.EINTR) {
        throw new ErrnoException("read " + name, errno);
      }
    }
    int length = (int) n - VirtioNetHeader.SIZE;
    if (length <= 0) {
      drops.incrementAndGet(Drop.EMPTY.ordinal());
      return 1;
    }
    int packet = 16;
    int flags = VirtioNetHeader.flags(readNative, VNET_AT);
    int gsoType = VirtioNetHeader.gsoType(readNative, VNET_AT) & ~VirtioNetHeader.GSO_ECN;
    int csumStart = VirtioNetHeader.csumStart(readNative, VNET_AT);
    int csumOffset = VirtioNetHeader.csumOffset(readNative, VNET_AT);
    if (gsoType == VirtioNetHeader.GSO_NONE) {
      if ((flags & VirtioNetHeader.F_NEEDS_CSUM) != 0
          && !TsoSegmenter.completeChecksum(readPacket, packet, length, csumStart, csumOffset)) {
        drops.incrementAndGet(Drop.BAD_GSO.ordinal());
        return 1;
      }
      if (length > batch.maxPacket()) {
        drops.incrementAndGet(Drop.OVERSIZE.ordinal());
        return 1;
      }
      int i = batch.add(length);
      batch.buffer().put(batch.offset(i), readPacket, packet, length);
      return 1;
    }
    boolean ipv4 = gsoType == VirtioNetHeader.GSO_TCPV4;
    int gsoSize = VirtioNetHeader.gsoSize(readNative, VNET_AT);
    if ((gsoType != VirtioNetHeader.GSO_TCPV4 && gsoType != VirtioNetHeader.GSO_TCPV6)
        || !TsoSegmenter.valid(readPacket, packet, length, ipv4, csumStart, gsoSize)
        || TsoSegmenter.headerLength(readPacket, packet, length, csumStart) + gsoSize
            > batch.maxPacket()) {
      drops.incrementAndGet(Drop.BAD_GSO.ordinal());
      return 1;
    }
    superPacketsRead++;
    pendingLength = length;
    pendingIpv4 = ipv4;
    pendingCsumStart = csumStart;
    pendingGsoSize = gsoSize;
    pendingNext = 0;
    pendingSegments =
        TsoSegmenter.segmentCount(
            length, TsoSegmenter.headerLength(readPacket, packet, length, csumStart), gsoSize);
    if (batch.count() > 0 && batch.count() + pendingSegments > batch.capacity()) {
      return 1; // keep the super-packet whole for the next batch: its segments leave together
    }
    continuePending(batch);
    return 1;
  }

  private void continuePending(PacketBatch batch) {
    pendingNext =
        TsoSegmenter.segment(
            readPacket,
            16,
            pendingLength,
            pendingIpv4,
            pendingCsumStart,
            pendingGsoSize,
            pendingNext,
            batch);
    if (pendingNext >= pendingSegments) {
      pendingLength = 0;
    }
  }

  @Override
  public int write(PacketBatch batch) throws IOException {
    if (!fd.enter()) {
      return -1;
    }
    try {
      synchronized (writeLock) {
        int n = vnet ? writeCoalesced(batch) : writePlain(batch);
        packetsWritten += n;
        return n;
      }
    } finally {
      fd.exit();
    }
  }

  private int writePlain(PacketBatch batch) throws IOException {
    int written = 0;
    for (int i = 0; i < batch.count(); i++) {
      if (batch.length(i) == 0) {
        continue;
      }
      long n = Native.libc().write(fd.fd(), batch.address() + batch.offset(i), batch.length(i));
      writeCalls++;
      if (n >= 0) {
        written++;
      } else if (Native.errno() == Errno.EBADF || fd.isClosed()) {
        return written;
      } else {
        drops.incrementAndGet(Drop.WRITE_REFUSED.ordinal());
      }
    }
    return written;
  }

  private int writeCoalesced(PacketBatch batch) throws IOException {
    coalescer.plan(batch);
    ByteBuffer iovs = iov.buffer();
    ByteBuffer header = vnetHeader.buffer();
    int written = 0;
    for (int w = 0; w < coalescer.writeCount(); w++) {
      int head = coalescer.write(w);
      if (batch.length(head) == 0) {
        continue;
      }
      coalescer.finishHead(batch, head, header, 0);
      iovs.putLong(0, vnetHeader.address());
      iovs.putLong(8, VirtioNetHeader.SIZE);
      iovs.putLong(16, batch.address() + batch.offset(head));
      iovs.putLong(24, batch.length(head));
      int count = 2;
      int segments = 1;
      for (int p = coalescer.next(head); p >= 0 && count < maxIov; p = coalescer.next(p)) {
        int skip = TcpCoalescer.headerLength(batch, p);
        iovs.putLong(count * 16, batch.address() + batch.offset(p) + skip);
        iovs.putLong(count * 16 + 8, batch.length(p) - skip);
        count++;
        segments++;
      }
      long n = Native.libc().writev(fd.fd(), iov.address(), count);
      writeCalls++;
      if (n >= 0) {
        written += segments;
      } else if (Native.errno() == Errno.EBADF || fd.isClosed()) {
        return written;
      } else {
        drops.addAndGet(Drop.WRITE_REFUSED.ordinal(), segments);
      }
    }
    return written;
  }

  @Override
  public void close() {
    fd.close();
  }
}
