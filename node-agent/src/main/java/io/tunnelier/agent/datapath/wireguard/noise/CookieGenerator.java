package io.tunnelier.agent.datapath.wireguard.noise;

import io.tunnelier.agent.datapath.wireguard.Constants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The sender's side of the DoS mitigation (whitepaper 5.4.4 and 5.4.7): puts MAC1 (keyed by the
 * peer's public key) and MAC2 (keyed by the last cookie the peer sent, while younger than
 * COOKIE_REFRESH_TIME) on each handshake message, and decrypts cookie replies.
 */
public final class CookieGenerator {
  static final byte[] LABEL_MAC1 = "mac1----".getBytes(StandardCharsets.US_ASCII);
  static final byte[] LABEL_COOKIE = "cookie--".getBytes(StandardCharsets.US_ASCII);

  private final byte[] mac1Key;
  private final byte[] cookieKey;
  private final byte[] lastMac1 = new byte[Blake2s.MAC_SIZE];
  private boolean hasLastMac1;
  private byte[] cookie;
  private long cookieSet;

  /**
   * @param peerPublicKey the public key of the end that will check the MACs
   */
  public CookieGenerator(byte[] peerPublicKey) {
    this.mac1Key = Blake2s.hash(LABEL_MAC1, peerPublicKey);
    this.cookieKey = Blake2s.hash(LABEL_COOKIE, peerPublicKey);
  }

  /**
   * Writes mac1 and mac2 of a handshake message of {@code size} bytes (the MACs are its last 32).
   */
  public void addMacs(byte[] msg, int offset, int size, long now) {
    int mac1 = offset + size - 2 * Blake2s.MAC_SIZE;
    int mac2 = mac1 + Blake2s.MAC_SIZE;
    Blake2s.mac(mac1Key, msg, offset, mac1 - offset, msg, mac1);
    System.arraycopy(msg, mac1, lastMac1, 0, Blake2s.MAC_SIZE);
    hasLastMac1 = true;
    if (cookie != null && now - cookieSet < Constants.COOKIE_REFRESH_TIME) {
      Blake2s.mac(cookie, msg, offset, mac2 - offset, msg, mac2);
    } else {
      Arrays.fill(msg, mac2, mac2 + Blake2s.MAC_SIZE, (byte) 0);
    }
  }

  /**
   * Decrypts a cookie reply to the last message this generator MACed; false when it does not
   * authenticate (a forged or stale reply).
   */
  public boolean consumeReply(byte[] msg, int offset, long now) {
    if (!hasLastMac1) {
      return false;
    }
    byte[] nonce =
        Arrays.copyOfRange(msg, offset + Messages.COOKIE_NONCE, offset + Messages.COOKIE_COOKIE);
    byte[] value = Aead.xopen(cookieKey, nonce, msg, offset + Messages.COOKIE_COOKIE, 32, lastMac1);
    if (value == null) {
      return false;
    }
    cookie = value;
    cookieSet = now;
    hasLastMac1 = false;
    return true;
  }

  static boolean equal(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
    return MessageDigest.isEqual(
        Arrays.copyOfRange(a, aOffset, aOffset + length),
        Arrays.copyOfRange(b, bOffset, bOffset + length));
  }
}
