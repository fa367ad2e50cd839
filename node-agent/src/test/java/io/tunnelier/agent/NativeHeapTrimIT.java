package io.tunnelier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.kenai.jffi.MemoryIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The node-agent image's flags give freed C heap back to the kernel: glibc keeps the pages of
 * chunks freed below a live one (as C2's compiler arena leaves them after compiling the datapaths),
 * and only {@code malloc_trim}, which {@code -XX:TrimNativeHeapInterval} runs, returns them.
 */
class NativeHeapTrimIT {
  static final int CHUNKS = 768;
  static final int CHUNK = 64 << 10; // below glibc's mmap threshold: from the heap, as arenas are

  /**
   * Mallocs and touches 48 MiB, then one small chunk after it that stays, frees the 48 MiB and
   * prints its RSS until it falls back or 30 s pass.
   */
  public static final class Burst {
    public static void main(String[] args) throws Exception {
      MemoryIO memory = MemoryIO.getInstance(); // jffi's malloc and free (the agent's FFI)
      long[] chunks = new long[CHUNKS];
      for (int i = 0; i < CHUNKS; i++) {
        chunks[i] = memory.allocateMemory(CHUNK, false);
        memory.setMemory(chunks[i], CHUNK, (byte) 1);
      }
      long pin = memory.allocateMemory(64, false); // keeps the freed chunks off the heap's top
      long peak = rssKib();
      for (long c : chunks) {
        memory.freeMemory(c);
      }
      long low = rssKib();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (low > peak - (32 << 10) && System.nanoTime() < deadline) {
        Thread.sleep(500);
        low = Math.min(low, rssKib());
      }
      System.out.println("rss " + peak + " " + low);
      memory.freeMemory(pin);
    }

    static long rssKib() throws Exception {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
  }

  @Test
  void freedCHeapGoesBackToTheKernelUnderTheImagesFlags() throws Exception {
    List<String> flags = ImageJvmFlags.read();
    assertThat(flags).as("the image's flags").anyMatch(s -> s.startsWith("-XX:TrimNativeHeap"));
    String out = ImageJvmFlags.runMain(Burst.class);
    String line = out.lines().filter(l -> l.startsWith("rss ")).findFirst().orElseThrow();
    long peak = Long.parseLong(line.split(" ")[1]) >> 10;
    long low = Long.parseLong(line.split(" ")[2]) >> 10;
    System.out.println("[native trim] RSS " + peak + " MiB with 48 MiB malloc'd -> " + low);
    assertThat(low)
        .as("RSS MiB once the 48 MiB were freed (peak " + peak + ")")
        .isLessThan(peak - 32);
  }
}
