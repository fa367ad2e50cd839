package io.tunnelier.agent.datapath.wireguard.noise;

import java.util.Base64;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Curve25519 keys as WireGuard uses them: 32 raw bytes, base64 in configuration ({@code wg genkey}
 * / {@code wg pubkey}). The arithmetic is bouncycastle's.
 */
public final class X25519Keys {
  public static final int KEY_SIZE = 32;

  private X25519Keys() {}

  /** A new clamped private key (what {@code wg genkey} prints, before base64). */
  public static byte[] generatePrivate(Entropy entropy) {
    byte[] key = new byte[KEY_SIZE];
    entropy.nextBytes(key);
    clamp(key);
    return key;
  }

  /** Clamps a private key in place as RFC 7748 and the whitepaper say. */
  public static void clamp(byte[] key) {
    X25519.clampPrivateKey(key);
  }

  public static byte[] publicKey(byte[] privateKey) {
    byte[] pub = new byte[KEY_SIZE];
    X25519.scalarMultBase(privateKey, 0, pub, 0);
    return pub;
  }

  /**
   * DH(private, public); null when the result is all zeros (a low-order point), which the protocol
   * treats as a failed handshake.
   */
  public static byte[] dh(byte[] privateKey, byte[] publicKey) {
    byte[] shared = new byte[KEY_SIZE];
    if (!X25519.calculateAgreement(privateKey, 0, publicKey, 0, shared, 0)) {
      return null;
    }
    return shared;
  }

  /** Parses a base64 key; throws IllegalArgumentException without echoing the input. */
  public static byte[] parse(String base64) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key is not valid base64");
    }
    if (key.length != KEY_SIZE) {
      throw new IllegalArgumentException("key is " + key.length + " bytes, expected 32");
    }
    return key;
  }

  public static String format(byte[] key) {
    return Base64.getEncoder().encodeToString(key);
  }
}
