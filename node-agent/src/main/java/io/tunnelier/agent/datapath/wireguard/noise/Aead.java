package io.tunnelier.agent.datapath.wireguard.noise;

import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.XChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AEAD and XAEAD of the whitepaper for handshake and cookie messages: bouncycastle's
 * ChaCha20-Poly1305 (RFC 8439) with a 96-bit nonce of 32 zero bits and a 64-bit little-endian
 * counter, and XChaCha20-Poly1305 with a 192-bit random nonce. Transport data uses {@link
 * TransportCipher}, which does not allocate.
 */
public final class Aead {
  public static final int TAG_SIZE = 16;

  private Aead() {}

  /** AEAD(key, counter, plain, aad) written to {@code out[outOffset..]} (plain.length + 16). */
  public static void seal(
      byte[] key, long counter, byte[] plain, byte[] aad, byte[] out, int outOffset) {
    KeyParameter copy = new KeyParameter(key);
    ChaCha20Poly1305 cipher = new ChaCha20Poly1305();
    cipher.init(true, new AEADParameters(copy, 128, nonce(counter), aad));
    run(cipher, plain, 0, plain.length, out, outOffset);
    wipe(copy);
  }

  /** Opens {@code in[offset, offset+length)}; null when authentication fails. */
  public static byte[] open(
      byte[] key, long counter, byte[] in, int offset, int length, byte[] aad) {
    if (length < TAG_SIZE) {
      return null;
    }
    KeyParameter copy = new KeyParameter(key);
    ChaCha20Poly1305 cipher = new ChaCha20Poly1305();
    cipher.init(false, new AEADParameters(copy, 128, nonce(counter), aad));
    byte[] out = new byte[length - TAG_SIZE];
    boolean ok = run(cipher, in, offset, length, out, 0);
    wipe(copy);
    return ok ? out : null;
  }

  /** XAEAD(key, nonce24, plain, aad) into {@code out[outOffset..]}. */
  public static void xseal(
      byte[] key, byte[] nonce24, byte[] plain, byte[] aad, byte[] out, int outOffset) {
    KeyParameter copy = new KeyParameter(key);
    XChaCha20Poly1305 cipher = new XChaCha20Poly1305();
    cipher.init(true, new AEADParameters(copy, 128, nonce24, aad));
    run(cipher, plain, 0, plain.length, out, outOffset);
    wipe(copy);
  }

  public static byte[] xopen(
      byte[] key, byte[] nonce24, byte[] in, int offset, int length, byte[] aad) {
    if (length < TAG_SIZE) {
      return null;
    }
    KeyParameter copy = new KeyParameter(key);
    XChaCha20Poly1305 cipher = new XChaCha20Poly1305();
    cipher.init(false, new AEADParameters(copy, 128, nonce24, aad));
    byte[] out = new byte[length - TAG_SIZE];
    boolean ok = run(cipher, in, offset, length, out, 0);
    wipe(copy);
    return ok ? out : null;
  }

  /** Our copy of a key, once the cipher is done with it (the caller wipes its own). */
  private static void wipe(KeyParameter copy) {
    Arrays.fill(copy.getKey(), (byte) 0);
  }

  static byte[] nonce(long counter) {
    byte[] nonce = new byte[12];
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (counter >>> (8 * i));
    }
    return nonce;
  }

  private static boolean run(
      ChaCha20Poly1305 cipher, byte[] in, int offset, int length, byte[] out, int outOffset) {
    int n = cipher.processBytes(in, offset, length, out, outOffset);
    try {
      cipher.doFinal(out, outOffset + n);
      return true;
    } catch (InvalidCipherTextException e) {
      return false;
    }
  }
}
