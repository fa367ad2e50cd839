package io.tunnelier.agent.datapath.wireguard.noise;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HASH, MAC, HMAC and KDF of the whitepaper (section 5.4), all built on bouncycastle's BLAKE2s.
 * Only the handshake uses these, so they may allocate. Their own secret temporaries (the KDF's
 * pseudorandom key, copies of HMAC keys) are wiped; the outputs are the caller's to wipe.
 */
public final class Blake2s {
  public static final int HASH_SIZE = 32;
  public static final int MAC_SIZE = 16;

  private Blake2s() {}

  /** HASH(a || b || ...): BLAKE2s-256. */
  public static byte[] hash(byte[]... parts) {
    Blake2sDigest digest = new Blake2sDigest(256);
    for (byte[] part : parts) {
      digest.update(part, 0, part.length);
    }
    byte[] out = new byte[HASH_SIZE];
    digest.doFinal(out, 0);
    return out;
  }

  /** MAC(key, input): keyed BLAKE2s with a 16-byte output, written to {@code out[outOffset..]}. */
  public static void mac(
      byte[] key, byte[] input, int offset, int length, byte[] out, int outOffset) {
    Blake2sDigest digest = new Blake2sDigest(key, MAC_SIZE, null, null);
    digest.update(input, offset, length);
    digest.doFinal(out, outOffset);
  }

  public static byte[] mac(byte[] key, byte[] input, int offset, int length) {
    byte[] out = new byte[MAC_SIZE];
    mac(key, input, offset, length, out, 0);
    return out;
  }

  /** HMAC(key, input): RFC 2104 over BLAKE2s-256 (block size 64). */
  public static byte[] hmac(byte[] key, byte[]... parts) {
    HMac hmac = new HMac(new Blake2sDigest(256));
    KeyParameter copy = new KeyParameter(key);
    hmac.init(copy);
    Arrays.fill(copy.getKey(), (byte) 0);
    for (byte[] part : parts) {
      hmac.update(part, 0, part.length);
    }
    byte[] out = new byte[HASH_SIZE];
    hmac.doFinal(out, 0);
    return out;
  }

  /**
   * KDF_n(key, input): the HKDF of the whitepaper; returns n 32-byte outputs {@code τ1..τn} where
   * {@code τ0 = HMAC(key, input)}, {@code τ1 = HMAC(τ0, 0x1)}, {@code τi = HMAC(τ0, τ(i-1) || i)}.
   */
  public static byte[][] kdf(int n, byte[] key, byte[] input) {
    byte[] prk = hmac(key, input);
    byte[][] out = new byte[n][];
    byte[] previous = new byte[0];
    for (int i = 0; i < n; i++) {
      previous = hmac(prk, previous, new byte[] {(byte) (i + 1)});
      out[i] = previous;
    }
    Arrays.fill(prk, (byte) 0);
    return out;
  }

  public static byte[] kdf1(byte[] key, byte[] input) {
    return kdf(1, key, input)[0];
  }
}
