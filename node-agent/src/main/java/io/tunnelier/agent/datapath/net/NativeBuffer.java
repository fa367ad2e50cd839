package io.tunnelier.agent.datapath.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory for structs the kernel reads or writes (iovec, msghdr, sockaddr, ifreq, cmsg): a
 * direct buffer in the machine's byte order plus its address. Allocated once, reused for every
 * call. Pages of a large one become resident only once written ({@link DirectMemory}).
 */
public final class NativeBuffer {
  private final ByteBuffer buffer;
  private final long address;

  public NativeBuffer(int size) {
    this.buffer = DirectMemory.allocate(size).order(ByteOrder.nativeOrder());
    this.address = Native.address(buffer);
  }

  /** The memory, in native byte order; use absolute gets and puts. */
  public ByteBuffer buffer() {
    return buffer;
  }

  public long address() {
    return address;
  }

  public long address(int offset) {
    return address + offset;
  }

  public int size() {
    return buffer.capacity();
  }

  /** Zeroes {@code length} bytes from {@code offset}. */
  public void clear(int offset, int length) {
    int end = offset + length;
    int i = offset;
    for (; i + 8 <= end; i += 8) {
      buffer.putLong(i, 0L);
    }
    for (; i < end; i++) {
      buffer.put(i, (byte) 0);
    }
  }
}
