package io.tunnelier.agent.datapath.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.Test;

/** Residency is read with {@code mincore(2)}, page by page, not guessed from the process's RSS. */
class DirectMemoryTest {
  /** mincore only: a test's own binding, the product has no use for it. */
  public interface Residency {
    int mincore(long addr, long length, long vec);
  }

  private static final Residency LIBC = LibraryLoader.create(Residency.class).load("c");

  // Below 2 MiB: no transparent huge page fits inside, so a written page is one page.
  private static final int SIZE = 512 * 1024;

  @Test
  void aNewBufferHasNoResidentPagesOfItsOwnAndReadsAsZeros() {
    ByteBuffer b = DirectMemory.allocate(SIZE);
    long page = DirectMemory.pageSize();
    long start = (Native.address(b) + page - 1) & -page;
    long end = (Native.address(b) + SIZE) & -page;
    int pages = (int) ((end - start) / page);

    assertThat(pages).isGreaterThan(100);
    assertThat(resident(start, pages)).isZero();

    int written = (int) (start - Native.address(b) + 5 * page + 7);
    b.put(written, (byte) 1);
    assertThat(resident(start, pages)).isEqualTo(1);

    for (int i = 0; i < SIZE; i++) {
      if (b.get(i) != (i == written ? 1 : 0)) {
        throw new AssertionError("byte " + i + " is " + b.get(i));
      }
    }
  }

  @Test
  void aSmallBufferIsLeftAlone() {
    ByteBuffer b = DirectMemory.allocate(DirectMemory.RELEASE_FROM - 1);
    assertThat(b.capacity()).isEqualTo(DirectMemory.RELEASE_FROM - 1);
    assertThat(DirectMemory.release(Native.address(b), 100)).isFalse();
  }

  @Test
  void aPacketBatchCostsOnlyTheSlotsItUsed() {
    PacketBatch batch = new PacketBatch(128, PacketBatch.DEFAULT_HEADROOM, 1500);
    long page = DirectMemory.pageSize();
    long start = (batch.address() + page - 1) & -page;
    int pages = (int) (((batch.address() + 128L * batch.slotSize()) & -page) - start) / (int) page;

    batch.add(Packets.pattern(1400, 3));

    assertThat(pages).isGreaterThan(40);
    assertThat(resident(start, pages)).isLessThanOrEqualTo(1);
    assertThat(batch.toArray(0)).isEqualTo(Packets.pattern(1400, 3));
  }

  private static int resident(long start, int pages) {
    NativeBuffer vec = new NativeBuffer(pages);
    assertThat(LIBC.mincore(start, pages * DirectMemory.pageSize(), vec.address())).isZero();
    int n = 0;
    for (int i = 0; i < pages; i++) {
      n += vec.buffer().get(i) & 1;
    }
    return n;
  }
}
