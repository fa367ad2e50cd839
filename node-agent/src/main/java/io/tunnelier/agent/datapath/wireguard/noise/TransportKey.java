package io.tunnelier.agent.datapath.wireguard.noise;

import java.util.Arrays;
import javax.crypto.SecretKey;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One direction's transport key, held in the forms both AEAD providers take, so a packet never
 * converts it. Shared by all threads; never printed. Both forms are copies this class owns, so
 * {@link #wipe()} zeroes every copy of the key outside the ciphers' own per-message state.
 */
public final class TransportKey {
  final KeyParameter bouncyCastle;
  final RawKey jdk;

  /** Copies {@code key}; the caller still owns (and wipes) its array. */
  TransportKey(byte[] key) {
    this.bouncyCastle = new KeyParameter(key);
    this.jdk = new RawKey(key);
  }

  /** Zeroes both forms. Only once no cipher uses this key any more (see {@link Keypair}). */
  void wipe() {
    // KeyParameter.getKey() is bouncycastle's own copy, not a clone.
    Arrays.fill(bouncyCastle.getKey(), (byte) 0);
    jdk.destroy();
  }

  /** Whether every byte of both forms is zero (tests of the wiping). */
  boolean isWiped() {
    return isZero(bouncyCastle.getKey()) && jdk.isDestroyed();
  }

  private static boolean isZero(byte[] bytes) {
    int or = 0;
    for (byte b : bytes) {
      or |= b;
    }
    return or == 0;
  }

  @Override
  public String toString() {
    return "TransportKey[hidden]";
  }

  /**
   * The JDK's form: a raw ChaCha20 key like {@code SecretKeySpec}, whose copy the JDK 17 never lets
   * anyone wipe; this one {@link #destroy()}s. {@link #getEncoded()} clones, as {@code
   * SecretKeySpec}'s does.
   */
  static final class RawKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final byte[] key;
    private volatile boolean destroyed;

    RawKey(byte[] key) {
      this.key = key.clone();
    }

    @Override
    public String getAlgorithm() {
      return "ChaCha20";
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      return key.clone();
    }

    @Override
    public void destroy() {
      Arrays.fill(key, (byte) 0);
      destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
      return destroyed && isZero(key);
    }

    @Override
    public String toString() {
      return "RawKey[hidden]";
    }
  }
}
