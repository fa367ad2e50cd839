package io.tunnelier.agent.datapath.wireguard.noise;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Seals and opens transport data in place with ChaCha20-Poly1305 (RFC 8439), from bouncycastle or
 * from the JDK's SunJCE provider; both are reviewed implementations, neither is ours. One instance
 * per thread: cipher objects are stateful, the keys ({@link TransportKey}) are shared. This is the
 * hot path; the only per-packet objects are the providers' own parameter holders.
 */
public final class TransportCipher {
  /** Which implementation of the same AEAD to use. */
  public enum Provider {
    BOUNCY_CASTLE,
    JDK
  }

  private final Provider provider;
  private final ChaCha20Poly1305 bc;
  private final Cipher jdk;
  // The JDK refuses to init a cipher twice in a row with the same key and nonce (it guards against
  // nonce reuse in both modes), which only a replayed message asks for: see open().
  private TransportKey lastKey;
  private long lastCounter;

  public TransportCipher() {
    this(defaultProvider());
  }

  public TransportCipher(Provider provider) {
    this.provider = provider;
    this.bc = provider == Provider.BOUNCY_CASTLE ? new ChaCha20Poly1305() : null;
    try {
      this.jdk = provider == Provider.JDK ? Cipher.getInstance("ChaCha20-Poly1305") : null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no ChaCha20-Poly1305", e);
    }
  }

  /** {@code -Dtunnelier.wireguard.aead=bc|jdk}; default JDK (see docs/wireguard.md). */
  public static Provider defaultProvider() {
    String value = System.getProperty("tunnelier.wireguard.aead", "jdk");
    return "bc".equalsIgnoreCase(value) ? Provider.BOUNCY_CASTLE : Provider.JDK;
  }

  public Provider provider() {
    return provider;
  }

  /**
   * Encrypts {@code buf[offset, offset+length)} in place and appends the 16-byte tag; returns the
   * sealed length.
   */
  public int seal(TransportKey key, long counter, byte[] buf, int offset, int length) {
    if (bc != null) {
      bc.init(true, new ParametersWithIV(key.bouncyCastle, Aead.nonce(counter)));
      int n = bc.processBytes(buf, offset, length, buf, offset);
      try {
        return n + bc.doFinal(buf, offset + n);
      } catch (InvalidCipherTextException e) {
        throw new IllegalStateException("encryption cannot fail", e);
      }
    }
    try {
      lastKey = key;
      lastCounter = counter;
      jdk.init(Cipher.ENCRYPT_MODE, key.jdk, new IvParameterSpec(Aead.nonce(counter)));
      return jdk.doFinal(buf, offset, length, buf, offset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption cannot fail", e);
    }
  }

  /**
   * Decrypts {@code buf[offset, offset+length)} (ciphertext and tag) in place; returns the
   * plaintext length, or -1 when authentication fails.
   */
  public int open(TransportKey key, long counter, byte[] buf, int offset, int length) {
    if (length < Aead.TAG_SIZE) {
      return -1;
    }
    if (bc != null) {
      bc.init(false, new ParametersWithIV(key.bouncyCastle, Aead.nonce(counter)));
      int n = bc.processBytes(buf, offset, length, buf, offset);
      try {
        return n + bc.doFinal(buf, offset + n);
      } catch (InvalidCipherTextException e) {
        return -1;
      }
    }
    try {
      if (key == lastKey && counter == lastCounter) {
        // The same message again (a replay): step the JDK's state past it so the tag is still
        // checked, and the replay window, not this quirk, decides.
        jdk.init(Cipher.DECRYPT_MODE, key.jdk, new IvParameterSpec(Aead.nonce(counter + 1)));
      }
      lastKey = key;
      lastCounter = counter;
      jdk.init(Cipher.DECRYPT_MODE, key.jdk, new IvParameterSpec(Aead.nonce(counter)));
      return jdk.doFinal(buf, offset, length, buf, offset);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (GeneralSecurityException e) {
      return -1;
    }
  }
}
