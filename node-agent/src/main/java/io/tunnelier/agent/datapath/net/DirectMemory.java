package io.tunnelier.agent.datapath.net;

import java.nio.ByteBuffer;

/**
 * Direct buffers whose pages cost resident memory only once written. The JDK zeroes a new direct
 * buffer, which makes every page of it resident: a tunnel's packet batches and read buffer (about
 * 260 KB) would then stay in RSS for each tunnel, even one that never carries more than a probe.
 * Right after allocation the whole pages inside the buffer are handed back to the kernel with
 * {@code madvise(MADV_DONTNEED)}; private anonymous memory then reads as zeros again and a page
 * comes back only when something writes to it (a busy tunnel's batch fills as before). The pages at
 * either end, shared with the allocator's other chunks, are left alone.
 *
 * <p>{@code -Dtunnelier.datapath.releasePages=false} keeps every page resident, as the JDK leaves
 * it: to measure what this saves (docs/benchmarks.md), or on a kernel that mishandles the advice.
 */
public final class DirectMemory {
  /** Below this a buffer has at most a page or two of its own; not worth a system call. */
  static final int RELEASE_FROM = 16 * 1024;

  private static final int MADV_DONTNEED = 4;
  private static final int SC_PAGESIZE = 30;
  private static final long PAGE = systemPageSize();
  private static final boolean ENABLED =
      !"false".equals(System.getProperty("tunnelier.datapath.releasePages"));

  private DirectMemory() {}

  /** A zeroed direct buffer of {@code size} bytes (big-endian, as the JDK gives it). */
  public static ByteBuffer allocate(int size) {
    ByteBuffer b = ByteBuffer.allocateDirect(size);
    if (ENABLED && size >= RELEASE_FROM) {
      release(Native.address(b), size);
    }
    return b;
  }

  /** The system's page size. */
  public static long pageSize() {
    return PAGE;
  }

  /**
   * Returns the whole pages inside {@code [address, address + size)} to the kernel; they read as
   * zeros afterwards. False when there was none, or the kernel refused (then they stay resident,
   * which is only a cost).
   */
  static boolean release(long address, long size) {
    long start = (address + PAGE - 1) & -PAGE;
    long end = (address + size) & -PAGE;
    if (end <= start) {
      return false;
    }
    return Native.libc().madvise(start, end - start, MADV_DONTNEED) == 0;
  }

  private static long systemPageSize() {
    long size = Native.libc().sysconf(SC_PAGESIZE);
    // A power of two, or the conservative 4 KiB every Linux page size is a multiple of.
    return size > 0 && Long.bitCount(size) == 1 ? size : 4096;
  }
}
