package io.tunnelier.agent.datapath.wireguard;

/**
 * The protocol's constants, named as in the whitepaper (section 6.1) and wireguard-go's {@code
 * device/constants.go}. Times are in nanoseconds because the core is driven by a monotonic clock
 * that the caller reads.
 */
public final class Constants {
  private static final long SECOND = 1_000_000_000L;
  private static final long MILLISECOND = 1_000_000L;

  /** After this many messages an initiator starts a new handshake (2^60). */
  public static final long REKEY_AFTER_MESSAGES = 1L << 60;

  /** No message is sent or accepted with a counter at or above this (2^64 - 2^13 - 1, unsigned). */
  public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1;

  public static final long REKEY_AFTER_TIME = 120 * SECOND;
  public static final long REJECT_AFTER_TIME = 180 * SECOND;
  public static final long REKEY_ATTEMPT_TIME = 90 * SECOND;
  public static final long REKEY_TIMEOUT = 5 * SECOND;
  public static final long KEEPALIVE_TIMEOUT = 10 * SECOND;
  public static final long COOKIE_REFRESH_TIME = 120 * SECOND;

  /** wireguard-go: the jitter added to each handshake retransmission, at most 1/3 s. */
  public static final long REKEY_TIMEOUT_JITTER_MAX = 334 * MILLISECOND;

  /** wireguard-go: retransmissions before giving up, REKEY_ATTEMPT_TIME / REKEY_TIMEOUT. */
  public static final int MAX_TIMER_HANDSHAKES = (int) (REKEY_ATTEMPT_TIME / REKEY_TIMEOUT);

  /** wireguard-go: a responder accepts at most one initiation per peer in this interval. */
  public static final long HANDSHAKE_INITIATION_RATE = SECOND / 50;

  /** wireguard-go: once under load, stay there this long after the load ends. */
  public static final long UNDER_LOAD_AFTER_TIME = SECOND;

  private Constants() {}
}
