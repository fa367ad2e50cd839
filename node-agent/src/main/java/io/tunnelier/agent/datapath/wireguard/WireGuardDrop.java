package io.tunnelier.agent.datapath.wireguard;

/**
 * Why the WireGuard datapath dropped a datagram or packet; {@link #reason()} is the key in {@link
 * io.tunnelier.agent.datapath.DatapathStats#drops()} (and in metrics and docs: keep it stable). Bad
 * input is counted here, never thrown. Handshake messages the Noise layer rejects are counted under
 * {@code Handshake.Failure#reason()}.
 */
public enum WireGuardDrop {
  /** Shorter than a message type field. */
  SHORT("wg-short"),
  /** A known message type with the wrong size. */
  BAD_LENGTH("wg-bad-length"),
  /** Not one of the four message types. */
  BAD_TYPE("wg-bad-type"),
  /** A handshake message whose MAC1 is not for our public key. */
  BAD_MAC1("wg-bad-mac1"),
  /** Transport data for a session index none of our keypairs has. */
  UNKNOWN_INDEX("wg-unknown-index"),
  /** Transport data for a keypair past REJECT_AFTER_TIME or REJECT_AFTER_MESSAGES. */
  KEYPAIR_EXPIRED("wg-keypair-expired"),
  /** Transport data that does not authenticate. */
  DECRYPT("wg-decrypt"),
  /** A counter the replay window has seen or left behind. */
  REPLAY("wg-replay"),
  /** Decrypted, but not a sane IPv4/IPv6 packet. */
  BAD_INNER_PACKET("wg-bad-inner-packet"),
  /** A cookie reply for no handshake of ours, or that does not decrypt. */
  COOKIE_INVALID("wg-cookie-invalid"),
  /** Under load, a handshake message over its source's rate. */
  RATE_LIMITED("wg-rate-limited"),
  /** An inner packet bigger than a transport message can carry. */
  TOO_BIG("wg-too-big"),
  /** A handshake message that found the handshake queue full. */
  QUEUE_FULL("wg-queue-full");

  private final String reason;

  WireGuardDrop(String reason) {
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
