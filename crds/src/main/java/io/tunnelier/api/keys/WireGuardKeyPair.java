package io.tunnelier.api.keys;

/**
 * An X25519 keypair in WireGuard's text form: 32 bytes each, base64 (as {@code wg genkey} and
 * {@code wg pubkey} print them).
 */
public record WireGuardKeyPair(String privateKey, String publicKey) {
  @Override
  public String toString() {
    // Never print the private key.
    return "WireGuardKeyPair[publicKey=" + publicKey + "]";
  }
}
