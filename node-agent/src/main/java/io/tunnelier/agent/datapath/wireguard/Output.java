package io.tunnelier.agent.datapath.wireguard;

/**
 * What the protocol core asks its caller to do with one packet: send bytes to the peer, write an
 * inner packet to the tunnel device, nothing, or drop (with a reason the datapath counts). It is a
 * reusable holder rather than a new object per packet: each thread that drives the core owns one.
 */
public final class Output {
  /** The one thing to do. */
  public enum Action {
    SEND_TO_NETWORK,
    WRITE_TO_TUNNEL,
    NONE,
    DROP
  }

  /** Bytes reserved before an inner packet for the transport header. */
  public static final int HEADROOM = 16;

  /** Bytes needed after an inner packet: up to 15 of padding and the 16-byte tag. */
  public static final int TAILROOM = 32;

  /** The largest inner packet (an IP packet's length field is 16 bits). */
  public static final int MAX_PACKET = 65535;

  /** Where the core writes messages it creates itself (handshakes, keepalives, staged data). */
  final byte[] scratch = new byte[HEADROOM + MAX_PACKET + TAILROOM];

  private Action action = Action.NONE;
  private byte[] buffer;
  private int offset;
  private int length;
  private String dropReason;
  private boolean authenticated;

  public Action action() {
    return action;
  }

  /** The bytes to send or write: the caller's buffer (in place) or the core's control buffer. */
  public byte[] buffer() {
    return buffer;
  }

  public int offset() {
    return offset;
  }

  public int length() {
    return length;
  }

  /** For {@link Action#DROP}: a short stable reason such as {@code wg-replay}. */
  public String dropReason() {
    return dropReason;
  }

  /**
   * Whether the received message authenticated as coming from the peer, so its source address may
   * become the peer's endpoint (roaming, whitepaper 2.1).
   */
  public boolean authenticated() {
    return authenticated;
  }

  Output send(byte[] buffer, int offset, int length) {
    return set(Action.SEND_TO_NETWORK, buffer, offset, length, null);
  }

  Output write(byte[] buffer, int offset, int length) {
    return set(Action.WRITE_TO_TUNNEL, buffer, offset, length, null);
  }

  Output none() {
    return set(Action.NONE, null, 0, 0, null);
  }

  Output drop(WireGuardDrop reason) {
    return drop(reason.reason());
  }

  Output drop(String reason) {
    return set(Action.DROP, null, 0, 0, reason);
  }

  Output authenticated(boolean value) {
    this.authenticated = value;
    return this;
  }

  private Output set(Action action, byte[] buffer, int offset, int length, String reason) {
    this.action = action;
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
    this.dropReason = reason;
    this.authenticated = false;
    return this;
  }

  @Override
  public String toString() {
    return action + (action == Action.DROP ? "(" + dropReason + ")" : "[" + length + "]");
  }
}
