package io.tunnelier.agent.datapath.wireguard.noise;

import io.tunnelier.agent.datapath.wireguard.Constants;
import java.util.Arrays;

/**
 * The receiver's side of the DoS mitigation (whitepaper 5.4.7 and 5.3): checks MAC1 of every
 * handshake message, and under load checks MAC2 against a cookie bound to the sender's address,
 * answering a message without a valid MAC2 with a cookie reply. The cookie secret changes every
 * COOKIE_REFRESH_TIME.
 */
public final class CookieChecker {
  private final byte[] mac1Key;
  private final byte[] cookieKey;
  private final Entropy entropy;
  private final byte[] secret = new byte[32];
  private long secretSet;
  private boolean hasSecret;

  /**
   * @param localPublicKey this end's static public key
   */
  public CookieChecker(byte[] localPublicKey, Entropy entropy) {
    this.mac1Key = Blake2s.hash(CookieGenerator.LABEL_MAC1, localPublicKey);
    this.cookieKey = Blake2s.hash(CookieGenerator.LABEL_COOKIE, localPublicKey);
    this.entropy = entropy;
  }

  /** Whether the message of {@code size} bytes carries a valid MAC1 for this end. */
  public boolean checkMac1(byte[] msg, int offset, int size) {
    int mac1 = offset + size - 2 * Blake2s.MAC_SIZE;
    byte[] expected = Blake2s.mac(mac1Key, msg, offset, mac1 - offset);
    return CookieGenerator.equal(expected, 0, msg, mac1, Blake2s.MAC_SIZE);
  }

  /**
   * Whether MAC2 is valid for a cookie of {@code source} (IP bytes then port, as {@link
   * SourceAddress} encodes them).
   */
  public boolean checkMac2(
      byte[] msg, int offset, int size, byte[] source, int sourceLength, long now) {
    if (!hasSecret || now - secretSet > Constants.COOKIE_REFRESH_TIME) {
      return false;
    }
    byte[] cookie = Blake2s.mac(secret, source, 0, sourceLength);
    int mac2 = offset + size - Blake2s.MAC_SIZE;
    byte[] expected = Blake2s.mac(cookie, msg, offset, mac2 - offset);
    return CookieGenerator.equal(expected, 0, msg, mac2, Blake2s.MAC_SIZE);
  }

  /**
   * Writes a 64-byte cookie reply to the handshake message {@code msg} (whose MAC1 was checked)
   * into {@code out[outOffset..]}.
   */
  public void createReply(
      byte[] msg,
      int offset,
      int size,
      byte[] source,
      int sourceLength,
      long now,
      byte[] out,
      int outOffset) {
    if (!hasSecret || now - secretSet > Constants.COOKIE_REFRESH_TIME) {
      entropy.nextBytes(secret);
      secretSet = now;
      hasSecret = true;
    }
    byte[] cookie = Blake2s.mac(secret, source, 0, sourceLength);
    byte[] nonce = new byte[24];
    entropy.nextBytes(nonce);
    int mac1 = offset + size - 2 * Blake2s.MAC_SIZE;
    byte[] aad = Arrays.copyOfRange(msg, mac1, mac1 + Blake2s.MAC_SIZE);

    Messages.putType(out, outOffset, Messages.TYPE_COOKIE_REPLY);
    // The receiver of the reply is the sender of the message: both types keep it at offset 4.
    Messages.putInt(out, outOffset + Messages.COOKIE_RECEIVER, Messages.getInt(msg, offset + 4));
    System.arraycopy(nonce, 0, out, outOffset + Messages.COOKIE_NONCE, 24);
    Aead.xseal(cookieKey, nonce, cookie, aad, out, outOffset + Messages.COOKIE_COOKIE);
  }
}
