package io.tunnelier.agent.plan;

/**
 * WireGuard keys of one tunnel for its gateway, read from the {@code <name>-keys} Secret. Never
 * printed.
 *
 * @param peerPublicKey the peer's public key from the Secret, used when spec.peer.publicKey is
 *     empty (the operator generated the peer's keypair); may be null
 */
public record TunnelKeys(byte[] privateKey, byte[] peerPublicKey) {
  @Override
  public String toString() {
    return "TunnelKeys[redacted]";
  }

  /** Zeroes both keys, when this copy is dropped and nothing else holds its arrays. */
  public void wipe() {
    if (privateKey != null) {
      java.util.Arrays.fill(privateKey, (byte) 0);
    }
    if (peerPublicKey != null) {
      java.util.Arrays.fill(peerPublicKey, (byte) 0);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TunnelKeys k
        && java.util.Arrays.equals(privateKey, k.privateKey)
        && java.util.Arrays.equals(peerPublicKey, k.peerPublicKey);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(privateKey) * 31 + java.util.Arrays.hashCode(peerPublicKey);
  }
}
