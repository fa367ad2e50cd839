package io.tunnelier.agent.datapath.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A batch of packets in one direct buffer, the unit every datapath I/O call moves (TUN reads and
 * writes, {@code recvmmsg}/{@code sendmmsg}). Each packet has its own slot of {@link #slotSize()}
 * bytes and lies at {@link #offset(int)} for {@link #length(int)} bytes inside it, leaving {@link
 * #headroom()} bytes in front so an encapsulation header is prepended in place, and the rest of the
 * slot behind it. Nothing is allocated per packet: codecs read and write {@link #buffer()} with
 * absolute indexes.
 *
 * <p>Each slot also carries an {@link Endpoint}: the destination for {@link PacketSocket#send}, and
 * for {@link PacketSocket#receive} the source, kept as the kernel's sockaddr (compare it with
 * {@link #sourceMatches}; materialise it with {@link #source(int)} only when a peer is learned).
 *
 * <p>A packet may also be a <em>view</em> ({@link #setView}): it lies anywhere in the buffer, not
 * in its slot, so a socket can hand over datagrams where the kernel put them instead of copying
 * each into its slot. Views have no headroom; headers may be stripped from them but not prepended.
 *
 * <p>Not thread-safe: one batch belongs to one packet loop.
 */
public final class PacketBatch {
  /** Header room that fits every encapsulation here (IPv6 40 + UDP 8 + GRE 16, or WireGuard 32). */
  public static final int DEFAULT_HEADROOM = 64;

  private final ByteBuffer buffer;
  private final long address;
  private final int capacity;
  private final int slotSize;
  private final int headroom;
  private final int[] offset;
  private final int[] length;
  private final Endpoint[] destination;
  private final int[] sumStart;
  private final int[] sum;
  private final boolean[] view;
  private final NativeBuffer sources;
  private int count;

  /**
   * @param capacity number of slots (packets per batch)
   * @param headroom bytes kept free in front of each received packet
   * @param maxPacket largest packet a slot holds after the headroom
   */
  public PacketBatch(int capacity, int headroom, int maxPacket) {
    if (capacity < 1 || headroom < 0 || maxPacket < 1) {
      throw new IllegalArgumentException("capacity, headroom and maxPacket must be positive");
    }
    this.capacity = capacity;
    this.headroom = headroom;
    // Slots start on cache-line boundaries: copies and checksums read aligned longs.
    this.slotSize = (headroom + maxPacket + 63) & ~63;
    // Slots never written (an idle tunnel's batch) cost no resident memory: DirectMemory.
    this.buffer = DirectMemory.allocate(Math.multiplyExact(slotSize, capacity));
    this.buffer.order(ByteOrder.BIG_ENDIAN);
    this.address = Native.address(buffer);
    this.offset = new int[capacity];
    this.length = new int[capacity];
    this.destination = new Endpoint[capacity];
    this.sumStart = new int[capacity];
    this.sum = new int[capacity];
    this.view = new boolean[capacity];
    this.sources = new NativeBuffer(Endpoint.SOCKADDR_SIZE * capacity);
  }

  /** The packet memory, big-endian (network order); index it absolutely. */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** Native address of {@link #buffer()}'s first byte. */
  public long address() {
    return address;
  }

  public int capacity() {
    return capacity;
  }

  public int slotSize() {
    return slotSize;
  }

  public int headroom() {
    return headroom;
  }

  /** Largest packet that fits a slot when it starts after the headroom. */
  public int maxPacket() {
    return slotSize - headroom;
  }

  /** Number of packets in the batch: slots {@code 0 .. count-1}. */
  public int count() {
    return count;
  }

  public void setCount(int count) {
    if (count < 0 || count > capacity) {
      throw new IllegalArgumentException("count " + count + " outside 0.." + capacity);
    }
    this.count = count;
  }

  /** Empties the batch. */
  public void clear() {
    count = 0;
  }

  /** Index in {@link #buffer()} where slot {@code i} begins. */
  public int slotStart(int i) {
    return i * slotSize;
  }

  /** Index in {@link #buffer()} where slot {@code i} ends (exclusive). */
  public int slotEnd(int i) {
    return (i + 1) * slotSize;
  }

  /** Index in {@link #buffer()} of packet {@code i}'s first byte. */
  public int offset(int i) {
    return offset[i];
  }

  public int length(int i) {
    return length[i];
  }

  /**
   * Places packet {@code i} at an absolute index and length inside its slot. A known complete sum
   * ({@link #setCompleteSum}) survives only moves of the start (headers stripped or prepended).
   */
  public void set(int i, int packetOffset, int packetLength) {
    int lowest = view[i] ? 0 : slotStart(i);
    int highest = view[i] ? buffer.capacity() : slotEnd(i);
    if (packetOffset < lowest || packetLength < 0 || packetOffset + packetLength > highest) {
      throw new IndexOutOfBoundsException(
          "packet " + packetOffset + "+" + packetLength + " outside slot " + i);
    }
    if (packetOffset + packetLength != offset[i] + length[i]) {
      sumStart[i] = -1;
    }
    offset[i] = packetOffset;
    length[i] = packetLength;
  }

  /**
   * Records the one's complement sum (folded, network order) of the bytes from {@code start} to the
   * end of packet {@code i}, computed while the packet was copied in: like the kernel's
   * CHECKSUM_COMPLETE, it lets a transport checksum be checked without reading the data again.
   */
  public void setCompleteSum(int i, int start, int folded) {
    sumStart[i] = start;
    sum[i] = folded;
  }

  /**
   * The folded sum of packet {@code i}'s bytes from {@code from} to its end, derived from the
   * complete sum by taking out the (short) prefix; -1 when no complete sum covers {@code from}.
   */
  public int completeSumFrom(int i, int from) {
    int start = sumStart[i];
    if (start < 0 || from < start || ((from - start) & 1) != 0) {
      return -1;
    }
    int prefix = Checksum.fold(Checksum.add(0, buffer, start, from - start));
    // One's complement subtraction: add the complement of the prefix.
    return Checksum.fold(sum[i] + (~prefix & 0xFFFF));
  }

  /**
   * Makes packet {@code i} a view of {@code buffer[packetOffset, +packetLength)}, wherever that is
   * in the buffer (see the class comment); its slot's memory is not used. It stays a view until
   * {@link #setAfterHeadroom} or {@link #add} places it in its slot again.
   */
  public void setView(int i, int packetOffset, int packetLength) {
    if (packetOffset < 0 || packetLength < 0 || packetOffset + packetLength > buffer.capacity()) {
      throw new IndexOutOfBoundsException(
          "view " + packetOffset + "+" + packetLength + " outside the batch");
    }
    view[i] = true;
    offset[i] = packetOffset;
    length[i] = packetLength;
    sumStart[i] = -1;
  }

  /** Whether packet {@code i} is a view (not in its slot). */
  public boolean isView(int i) {
    return view[i];
  }

  /** Packet {@code i} starts right after the headroom of its slot, {@code packetLength} long. */
  public void setAfterHeadroom(int i, int packetLength) {
    view[i] = false;
    set(i, slotStart(i) + headroom, packetLength);
    sumStart[i] = -1;
  }

  /** Appends a packet slot after the headroom and returns its index, or -1 when full. */
  public int add(int packetLength) {
    if (count == capacity) {
      return -1;
    }
    int i = count++;
    setAfterHeadroom(i, packetLength);
    return i;
  }

  /**
   * Grows packet {@code i} forward by {@code bytes} (prepending a header into the headroom) and
   * returns its new offset.
   */
  public int prepend(int i, int bytes) {
    if (view[i]) {
      throw new IllegalStateException("packet " + i + " is a view: no headroom to prepend into");
    }
    set(i, offset[i] - bytes, length[i] + bytes);
    return offset[i];
  }

  /** Drops the first {@code bytes} of packet {@code i} (strips a header) and returns the offset. */
  public int strip(int i, int bytes) {
    set(i, offset[i] + bytes, length[i] - bytes);
    return offset[i];
  }

  /** Where to send packet {@code i}. */
  public Endpoint destination(int i) {
    return destination[i];
  }

  public void setDestination(int i, Endpoint endpoint) {
    destination[i] = endpoint;
  }

  /** The kernel sockaddr of where packet {@code i} came from (native order), for sockets. */
  public NativeBuffer sources() {
    return sources;
  }

  public int sourceOffset(int i) {
    return i * Endpoint.SOCKADDR_SIZE;
  }

  /** Whether packet {@code i} came from {@code endpoint} (and its port, when {@code withPort}). */
  public boolean sourceMatches(int i, Endpoint endpoint, boolean withPort) {
    return endpoint.matches(sources.buffer(), sourceOffset(i), withPort);
  }

  /** Where packet {@code i} came from; allocates, so call it only when learning a peer. */
  public Endpoint source(int i) {
    return Endpoint.fromSockaddr(sources.buffer(), sourceOffset(i));
  }

  /** Records the source of packet {@code i} (fakes and tests; sockets write it natively). */
  public void setSource(int i, Endpoint endpoint) {
    endpoint.writeSockaddr(sources.buffer(), sourceOffset(i));
  }

  /** Copies packet {@code from}'s source sockaddr to packet {@code to}. */
  public void copySource(int from, int to) {
    if (from == to) {
      return;
    }
    ByteBuffer s = sources.buffer();
    int a = sourceOffset(from);
    int b = sourceOffset(to);
    for (int k = 0; k < Endpoint.SOCKADDR_SIZE; k += 8) {
      s.putLong(b + k, s.getLong(a + k));
    }
  }

  /** Copies {@code len} bytes of packet memory; regions may be in different batches. */
  public static void copy(PacketBatch from, int fromIndex, PacketBatch to, int toIndex, int len) {
    to.buffer.put(toIndex, from.buffer, fromIndex, len);
  }

  /** Copies packet {@code i}'s bytes out (tests and tools; allocates). */
  public byte[] toArray(int i) {
    byte[] out = new byte[length[i]];
    buffer.get(offset[i], out);
    return out;
  }

  /** Appends a packet with the given bytes after the headroom (tests and tools); its index. */
  public int add(byte[] packet) {
    int i = add(packet.length);
    if (i < 0) {
      throw new IllegalStateException("batch full");
    }
    buffer.put(offset[i], packet);
    return i;
  }
}
