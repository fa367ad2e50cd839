package io.tunnelier.operator.keys;

import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.X25519KeyPairGenerator;
import org.bouncycastle.crypto.params.X25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * WireGuard keys: generate a keypair, derive the public key of a private one, decode a public key.
 */
public final class X25519Keys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private X25519Keys() {}

  /** A fresh keypair; the private key is clamped as {@code wg genkey} does. */
  public static WireGuardKeyPair generate() {
    X25519KeyPairGenerator generator = new X25519KeyPairGenerator();
    generator.init(new X25519KeyGenerationParameters(RANDOM));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    byte[] secret = ((X25519PrivateKeyParameters) pair.getPrivate()).getEncoded();
    clamp(secret);
    return fromPrivate(secret);
  }

  /**
   * The keypair of a base64 private key.
   *
   * @throws IllegalArgumentException (without the key in its message) unless it is 32 bytes of
   *     base64
   */
  public static WireGuardKeyPair fromPrivateKey(String base64PrivateKey) {
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(base64PrivateKey == null ? "" : base64PrivateKey.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the private key is not valid base64");
    }
    if (secret.length != X25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException(
          "the private key has " + secret.length + " bytes instead of 32");
    }
    return fromPrivate(secret);
  }

  /**
   * The raw 32 bytes of a base64 public key.
   *
   * @throws IllegalArgumentException unless it is 32 bytes of base64
   */
  public static byte[] publicKeyBytes(String base64PublicKey) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64PublicKey == null ? "" : base64PublicKey.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the public key is not valid base64");
    }
    if (raw.length != X25519PublicKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException(
          "the public key has " + raw.length + " bytes instead of 32");
    }
    return raw;
  }

  private static WireGuardKeyPair fromPrivate(byte[] secret) {
    X25519PrivateKeyParameters privateKey = new X25519PrivateKeyParameters(secret, 0);
    X25519PublicKeyParameters publicKey = privateKey.generatePublicKey();
    Base64.Encoder base64 = Base64.getEncoder();
    return new WireGuardKeyPair(
        base64.encodeToString(privateKey.getEncoded()),
        base64.encodeToString(publicKey.getEncoded()));
  }

  /** RFC 7748 clamping, which WireGuard stores in its private keys. */
  private static void clamp(byte[] secret) {
    secret[0] &= (byte) 248;
    secret[31] &= 127;
    secret[31] |= 64;
  }
}
