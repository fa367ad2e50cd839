package io.tunnelier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real {@link HeapTrim#jvm()} in a JVM with the node-agent image's collector and heap flags: a
 * heap that a burst grew shrinks to about its live set on one collection, which the serial
 * collector would not do by itself.
 */
class HeapTrimIT {
  /**
   * Grows the heap with 48 MiB of short-lived data, drops it, prints committed MiB before/after.
   */
  public static final class Burst {
    public static void main(String[] args) {
      HeapTrim.Heap heap = HeapTrim.jvm();
      List<byte[]> burst = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        burst.add(new byte[1 << 20]);
      }
      System.out.println("live " + burst.size());
      burst = null;
      long before = heap.committedBytes() >> 20;
      heap.collect();
      long after = heap.committedBytes() >> 20;
      System.out.println("committed " + before + " " + after);
    }
  }

  @Test
  void oneCollectionShrinksAHeapABurstGrewUnderTheImagesFlags() throws Exception {
    // The image's own -XX flags, read from its Dockerfile so this follows them; MaxRAM as a 512Mi
    // limit sets it (the initial heap, the floor a heap shrinks to, is 1/64 of it).
    assertThat(ImageJvmFlags.read()).as("the image's heap flags").contains("-XX:+UseSerialGC");
    String out = ImageJvmFlags.runMain(Burst.class);
    String line = out.lines().filter(l -> l.startsWith("committed ")).findFirst().orElseThrow();
    String[] mib = line.split(" ");
    long before = Long.parseLong(mib[1]);
    long after = Long.parseLong(mib[2]);
    System.out.println("[heap trim] committed heap " + before + " MiB -> " + after + " MiB");
    assertThat(before).as("the burst grew the heap").isGreaterThanOrEqualTo(48);
    assertThat(after).as("committed MiB after one collection").isLessThan(before / 2);
  }
}
