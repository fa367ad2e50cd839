package io.tunnelier.agent.datapath.wireguard.noise;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Seals and opens transport data in place with bouncycastle's ChaCha20-Poly1305. One instance per
 * thread: the cipher object is stateful, the keys ({@link Keypair}) are shared. This is the hot
 * path; the only per-packet objects are bouncycastle's own parameter holders.
 */
public final class TransportCipher {
  private final ChaCha20Poly1305 cipher = new ChaCha20Poly1305();

  /**
   * Encrypts {@code buf[offset, offset+length)} in place and appends the 16-byte tag; returns the
   * sealed length.
   */
  public int seal(KeyParameter key, long counter, byte[] buf, int offset, int length) {
    cipher.init(true, new ParametersWithIV(key, Aead.nonce(counter)));
    int n = cipher.processBytes(buf, offset, length, buf, offset);
    try {
      return n + cipher.doFinal(buf, offset + n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("encryption cannot fail", e);
    }
  }

  /**
   * Decrypts {@code buf[offset, offset+length)} (ciphertext and tag) in place; returns the
   * plaintext length, or -1 when authentication fails.
   */
  public int open(KeyParameter key, long counter, byte[] buf, int offset, int length) {
    if (length < Aead.TAG_SIZE) {
      return -1;
    }
    cipher.init(false, new ParametersWithIV(key, Aead.nonce(counter)));
    int n = cipher.processBytes(buf, offset, length, buf, offset);
    try {
      return n + cipher.doFinal(buf, offset + n);
    } catch (InvalidCipherTextException e) {
      return -1;
    }
  }
}
