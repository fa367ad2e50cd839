package io.tunnelier.agent.datapath.wireguard.noise;

import io.tunnelier.api.keys.X25519Keys;
import java.util.Arrays;

/**
 * The long-term keys of one tunnel: this end's static key pair, the peer's static public key, the
 * optional preshared key, and DH(S_priv, S_pub_peer) computed once. Never printed; {@link #wipe()}
 * zeroes the secrets.
 */
public final class StaticIdentity {
  private final byte[] privateKey;
  private final byte[] publicKey;
  private final byte[] peerPublicKey;
  private final byte[] presharedKey;
  private final byte[] staticStatic;

  public StaticIdentity(byte[] privateKey, byte[] peerPublicKey, byte[] presharedKey) {
    if (privateKey == null || privateKey.length != X25519Keys.KEY_SIZE) {
      throw new IllegalArgumentException("private key must be 32 bytes");
    }
    if (peerPublicKey == null || peerPublicKey.length != X25519Keys.KEY_SIZE) {
      throw new IllegalArgumentException("peer public key must be 32 bytes");
    }
    if (presharedKey != null && presharedKey.length != X25519Keys.KEY_SIZE) {
      throw new IllegalArgumentException("preshared key must be 32 bytes");
    }
    this.privateKey = privateKey.clone();
    X25519Keys.clamp(this.privateKey);
    this.publicKey = X25519Keys.publicKey(this.privateKey);
    this.peerPublicKey = peerPublicKey.clone();
    this.presharedKey = presharedKey == null ? new byte[32] : presharedKey.clone();
    this.staticStatic = X25519Keys.dh(this.privateKey, this.peerPublicKey);
    if (staticStatic == null) {
      wipe();
      throw new IllegalArgumentException("peer public key is a low-order point");
    }
  }

  /**
   * Zeroes this end's private key, the preshared key and DH(S_priv, S_pub_peer), when the tunnel
   * goes away. The caller's arrays given to the constructor were copied and are the caller's.
   */
  public void wipe() {
    Arrays.fill(privateKey, (byte) 0);
    Arrays.fill(presharedKey, (byte) 0);
    if (staticStatic != null) {
      Arrays.fill(staticStatic, (byte) 0);
    }
  }

  byte[] privateKey() {
    return privateKey;
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  byte[] publicKeyRaw() {
    return publicKey;
  }

  public byte[] peerPublicKey() {
    return peerPublicKey.clone();
  }

  byte[] peerPublicKeyRaw() {
    return peerPublicKey;
  }

  byte[] presharedKey() {
    return presharedKey;
  }

  byte[] staticStatic() {
    return staticStatic;
  }

  public boolean isPeer(byte[] publicKey) {
    return java.security.MessageDigest.isEqual(peerPublicKey, publicKey);
  }

  @Override
  public String toString() {
    return "StaticIdentity[public=" + X25519Keys.format(publicKey) + "]";
  }
}
