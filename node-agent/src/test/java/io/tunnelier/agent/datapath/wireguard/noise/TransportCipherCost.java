package io.tunnelier.agent.datapath.wireguard.noise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What sealing one transport message costs this JVM on one thread, by size, with the datapath's own
 * {@link TransportCipher}: the AEAD's fixed cost per message (the JDK cipher's {@code init}: its
 * key copy and reuse check, the Poly1305 key from a keystream block, Poly1305's state) beside its
 * cost per byte. {@code e2e/bin/bench datapath} prints it into {@code machine.txt}, on the JVM the
 * datapaths run on. A measurement, not a test: it asserts nothing.
 */
public final class TransportCipherCost {
  private static final int[] SIZES = {64, 1420, 16384};
  private static final int ROUNDS = 5;
  private static final long ROUND_NANOS = 200_000_000L;

  private TransportCipherCost() {}

  public static void main(String[] args) {
    byte[] raw = new byte[32];
    Arrays.fill(raw, (byte) 7);
    TransportKey key = new TransportKey(raw);
    List<String> parts = new ArrayList<>();
    for (TransportCipher.Provider provider :
        List.of(TransportCipher.Provider.JDK, TransportCipher.Provider.BOUNCY_CASTLE)) {
      TransportCipher cipher = new TransportCipher(provider);
      List<String> sizes = new ArrayList<>();
      long counter = 0;
      for (int size : SIZES) {
        byte[] buf = new byte[size + Aead.TAG_SIZE];
        counter = seal(cipher, key, counter, buf, size, 3 * ROUND_NANOS).counter(); // warm-up
        double[] nanos = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
          Round round = seal(cipher, key, counter, buf, size, ROUND_NANOS);
          counter = round.counter();
          nanos[r] = round.nanosPerMessage();
        }
        Arrays.sort(nanos);
        double median = nanos[ROUNDS / 2];
        sizes.add(
            String.format(
                Locale.ROOT,
                "%d B %.0f ns (%.1f Gbit/s)",
                size,
                median,
                size * 8 / median)); // bits per nanosecond = Gbit/s
      }
      parts.add(provider.name().toLowerCase(Locale.ROOT) + ": " + String.join(", ", sizes));
    }
    key.wipe();
    System.out.println(
        "transport AEAD seal, one thread, median of "
            + ROUNDS
            + " rounds per message: "
            + String.join("; ", parts));
  }

  private record Round(long counter, double nanosPerMessage) {}

  private static Round seal(
      TransportCipher cipher, TransportKey key, long counter, byte[] buf, int size, long nanos) {
    long start = System.nanoTime();
    long end = start + nanos;
    long n = 0;
    long now;
    do {
      for (int i = 0; i < 256; i++) {
        cipher.seal(key, counter++, buf, 0, size); // a new nonce each time, as on the wire
      }
      n += 256;
      now = System.nanoTime();
    } while (now < end);
    return new Round(counter, (now - start) / (double) n);
  }
}
