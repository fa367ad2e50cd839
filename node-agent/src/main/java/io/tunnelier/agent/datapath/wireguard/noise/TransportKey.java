package io.tunnelier.agent.datapath.wireguard.noise;

import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One direction's transport key, held in the forms both AEAD providers take, so a packet never
 * converts it. Immutable and shared by all threads; never printed.
 */
public final class TransportKey {
  final KeyParameter bouncyCastle;
  final SecretKeySpec jdk;

  TransportKey(byte[] key) {
    this.bouncyCastle = new KeyParameter(key);
    this.jdk = new SecretKeySpec(key, "ChaCha20");
  }

  @Override
  public String toString() {
    return "TransportKey[hidden]";
  }
}
