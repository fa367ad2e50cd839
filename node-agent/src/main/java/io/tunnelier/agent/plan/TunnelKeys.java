package io.tunnelier.agent.plan;

/**
 * WireGuard keys of one tunnel for its gateway, read from the {@code <name>-keys} Secret. Never
 * printed.
 *
 * @param peerPublicKey the peer's public key from the Secret, used when spec.peer.publicKey is
 *     empty (the operator generated the peer's keypair); may be null
 * @param backupPeerKeys the same for each backup peer whose keypair the operator generated, by the
 *     backup's name (from its {@code <name>-peer-config-<peer>} Secret)
 */
public record TunnelKeys(
    byte[] privateKey, byte[] peerPublicKey, java.util.Map<String, byte[]> backupPeerKeys) {
  public TunnelKeys {
    backupPeerKeys =
        backupPeerKeys == null ? java.util.Map.of() : java.util.Map.copyOf(backupPeerKeys);
  }

  public TunnelKeys(byte[] privateKey, byte[] peerPublicKey) {
    this(privateKey, peerPublicKey, java.util.Map.of());
  }

  /** The same keys with a backup peer's public key. */
  public TunnelKeys withBackupPeerKey(String peer, byte[] key) {
    java.util.Map<String, byte[]> m = new java.util.HashMap<>(backupPeerKeys);
    m.put(peer, key);
    return new TunnelKeys(privateKey, peerPublicKey, m);
  }

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
    backupPeerKeys.values().forEach(k -> java.util.Arrays.fill(k, (byte) 0));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TunnelKeys k
        && java.util.Arrays.equals(privateKey, k.privateKey)
        && java.util.Arrays.equals(peerPublicKey, k.peerPublicKey)
        && backupPeerKeys.keySet().equals(k.backupPeerKeys.keySet())
        && backupPeerKeys.entrySet().stream()
            .allMatch(e -> java.util.Arrays.equals(e.getValue(), k.backupPeerKeys.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(privateKey) * 31
        + java.util.Arrays.hashCode(peerPublicKey)
        + backupPeerKeys.keySet().hashCode();
  }
}
