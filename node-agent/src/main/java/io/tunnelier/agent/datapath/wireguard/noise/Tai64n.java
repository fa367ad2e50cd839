package io.tunnelier.agent.datapath.wireguard.noise;

/**
 * The 12-byte TAI64N timestamp an initiation carries, so a responder can reject replayed
 * initiations. As in wireguard-go, the nanoseconds are rounded down to 2^24 ns (~16.8 ms) so the
 * timestamp does not leak precise clock readings.
 */
public final class Tai64n {
  public static final int SIZE = 12;
  private static final long BASE = 0x400000000000000aL;
  private static final long WHITENER_MASK = 0x1000000L - 1;

  private Tai64n() {}

  /** Encodes wall-clock time given as nanoseconds since the Unix epoch. */
  public static byte[] of(long unixNanos) {
    long whitened = unixNanos & ~WHITENER_MASK;
    long seconds = Math.floorDiv(whitened, 1_000_000_000L);
    int nanos = (int) Math.floorMod(whitened, 1_000_000_000L);
    long tai = BASE + seconds;
    byte[] out = new byte[SIZE];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (tai >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      out[8 + i] = (byte) (nanos >>> (24 - 8 * i));
    }
    return out;
  }

  /** Whether {@code a} is strictly after {@code b} (big-endian unsigned comparison). */
  public static boolean after(byte[] a, byte[] b) {
    return java.util.Arrays.compareUnsigned(a, b) > 0;
  }
}
