package io.tunnelier.agent.datapath.gre;

/**
 * Why the GRE datapath dropped a packet; {@link #label()} is the key in {@link
 * io.tunnelier.agent.datapath.DatapathStats#drops()}. Malformed input is counted here, never
 * thrown.
 */
public enum GreDrop {
  /** Shorter than the GRE header its flags announce (or than any GRE header). */
  TRUNCATED("gre-truncated"),
  /** Version field not 0 (RFC 2784; version 1 is PPTP's enhanced GRE). */
  BAD_VERSION("gre-bad-version"),
  /** Routing, strict-source-route or recursion bits set (RFC 2784 2.3: bits 1-5 must be 0). */
  UNKNOWN_FLAGS("gre-unknown-flags"),
  /** The optional GRE checksum does not verify. */
  BAD_CHECKSUM("gre-bad-checksum"),
  /** Protocol type neither IPv4 (0x0800) nor IPv6 (0x86DD). */
  UNKNOWN_PROTOCOL("gre-unknown-protocol"),
  /** The inner packet's IP version disagrees with the protocol type. */
  BAD_INNER_PACKET("gre-bad-inner-packet"),
  /** No tunnel on this socket has the packet's key (or lack of key). */
  UNKNOWN_KEY("gre-unknown-key"),
  /** The key matches a tunnel whose configured peer is another address. */
  WRONG_SOURCE("gre-wrong-source"),
  /**
   * A learning tunnel (the VPS) got a valid packet with its key from outside allowedSources: not
   * learned as the peer, dropped.
   */
  SOURCE_NOT_ALLOWED("gre-source-not-allowed"),
  /** RFC 2890 sequence number older than one already received. */
  OUT_OF_ORDER("gre-out-of-order"),
  /** From the TUN device: not an IPv4/IPv6 packet. */
  NOT_IP("tun-not-ip"),
  /** Bigger than the tunnel MTU with DF (or IPv6): answered with ICMP, not sent. */
  TOO_BIG("too-big"),
  /** No peer yet (a VPS end that has not heard from its peer): nowhere to send. */
  NO_PEER("no-peer"),
  /** The kernel refused to send (no route, filtered, buffer full). */
  SEND_FAILED("send-failed"),
  /** The kernel refused a write to the TUN device. */
  TUN_WRITE_FAILED("tun-write-failed"),
  /** An unexpected error inside the packet loop; the batch is dropped, the loop goes on. */
  INTERNAL_ERROR("internal-error");

  private final String label;

  GreDrop(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
