package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.wireguard.noise.CookieChecker;
import io.tunnelier.agent.datapath.wireguard.noise.Entropy;
import io.tunnelier.agent.datapath.wireguard.noise.Messages;

/**
 * Which handshake messages earn a Diffie-Hellman (wireguard-go's cookie.go and ratelimiter.go, as
 * the receive path uses them): MAC1 always; under load ({@link LoadDetector}) also a per-source
 * rate ({@link HandshakeRateLimiter}) and MAC2, a sender without a valid cookie getting a cookie
 * reply instead. Not thread-safe: the peer's lock guards it.
 */
final class HandshakeAdmission {
  private final CookieChecker cookieChecker;
  private final LoadDetector load = new LoadDetector();
  private final HandshakeRateLimiter rateLimiter = new HandshakeRateLimiter();
  private volatile long cookieRepliesSent;

  HandshakeAdmission(byte[] localPublicKey, Entropy entropy) {
    this.cookieChecker = new CookieChecker(localPublicKey, entropy);
  }

  /**
   * True when the message may be processed; false when {@code out} now holds a drop or a cookie
   * reply to send.
   */
  boolean admit(
      byte[] buf, int offset, int size, byte[] source, int sourceLength, long now, Output out) {
    if (!cookieChecker.checkMac1(buf, offset, size)) {
      out.drop(WireGuardDrop.BAD_MAC1);
      return false;
    }
    if (!load.arrive(now)) {
      return true;
    }
    // Under load: a few messages per second per source, with or without a cookie.
    if (!rateLimiter.allow(source, sourceLength, now)) {
      out.drop(WireGuardDrop.RATE_LIMITED);
      return false;
    }
    if (!cookieChecker.checkMac2(buf, offset, size, source, sourceLength, now)) {
      // No DH for a sender that has not proven its address; send it a cookie.
      cookieChecker.createReply(buf, offset, size, source, sourceLength, now, out.scratch, 0);
      cookieRepliesSent++;
      out.send(out.scratch, 0, Messages.COOKIE_REPLY_SIZE);
      return false;
    }
    return true;
  }

  long cookieRepliesSent() {
    return cookieRepliesSent;
  }
}
