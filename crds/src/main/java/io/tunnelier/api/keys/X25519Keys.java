package io.tunnelier.api.keys;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Consumer;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Curve25519 keys as WireGuard uses them: 32 raw bytes, base64 in configuration ({@code wg genkey}
 * / {@code wg pubkey}). Generate a keypair, derive the public key of a private one, Diffie-Hellman,
 * and the base64 text form. The arithmetic is bouncycastle's.
 */
public final class X25519Keys {
  public static final int KEY_SIZE = X25519.SCALAR_SIZE;

  private static final SecureRandom RANDOM = new SecureRandom();

  private X25519Keys() {}

  /** A fresh keypair in text form; the private key is clamped as {@code wg genkey} does. */
  public static WireGuardKeyPair generate() {
    return fromPrivate(generatePrivate(RANDOM::nextBytes));
  }

  /**
   * The keypair of a base64 private key.
   *
   * @throws IllegalArgumentException (without the key in its message) unless it is 32 bytes of
   *     base64
   */
  public static WireGuardKeyPair fromPrivateKey(String base64PrivateKey) {
    return fromPrivate(decode(base64PrivateKey, "private key"));
  }

  /**
   * The raw 32 bytes of a base64 public key.
   *
   * @throws IllegalArgumentException unless it is 32 bytes of base64
   */
  public static byte[] publicKeyBytes(String base64PublicKey) {
    return decode(base64PublicKey, "public key");
  }

  /**
   * The raw 32 bytes of a base64 key (private, public or preshared).
   *
   * @throws IllegalArgumentException (without the key in its message) unless it is 32 bytes of
   *     base64
   */
  public static byte[] parse(String base64) {
    return decode(base64, "key");
  }

  /** The base64 text form of a raw key. */
  public static String format(byte[] key) {
    return Base64.getEncoder().encodeToString(key);
  }

  /**
   * A new clamped private key (what {@code wg genkey} prints, before base64), its bytes from {@code
   * randomBytes} (which fills the array it is given).
   */
  public static byte[] generatePrivate(Consumer<byte[]> randomBytes) {
    byte[] key = new byte[KEY_SIZE];
    randomBytes.accept(key);
    clamp(key);
    return key;
  }

  /** Clamps a private key in place as RFC 7748 and the whitepaper say. */
  public static void clamp(byte[] key) {
    X25519.clampPrivateKey(key);
  }

  /** The public key of a raw private key. */
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

  private static WireGuardKeyPair fromPrivate(byte[] secret) {
    return new WireGuardKeyPair(format(secret), format(publicKey(secret)));
  }

  /** Decodes 32 bytes of base64; the message names {@code what}, never the text. */
  private static byte[] decode(String base64, String what) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + what + " is not valid base64");
    }
    if (raw.length != KEY_SIZE) {
      throw new IllegalArgumentException(
          "the " + what + " has " + raw.length + " bytes instead of 32");
    }
    return raw;
  }
}
