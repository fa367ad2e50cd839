package io.tunnelier.agent.datapath.wireguard.timers;

import static io.tunnelier.agent.datapath.wireguard.Constants.*;

import io.tunnelier.agent.datapath.wireguard.noise.Entropy;
import java.util.SplittableRandom;

/**
 * The five timers of one peer as a state machine (whitepaper section 6, wireguard-go's {@code
 * timers.go}): the peer calls the event hooks ({@link #dataSent}, {@link #handshakeInitiated}, ...)
 * and {@link #poll} with the current time to learn which timer expired. It reads no clock and
 * starts no thread; deadlines are monotonic nanoseconds the caller supplies.
 */
public final class Timers {
  /** What expired; the peer acts on it. */
  public enum Event {
    /** No response to our initiation within REKEY_TIMEOUT + jitter: send another, or give up. */
    RETRANSMIT_HANDSHAKE,
    /** We received data and sent nothing for KEEPALIVE_TIMEOUT: send a keepalive. */
    SEND_KEEPALIVE,
    /** We sent data and heard nothing for KEEPALIVE_TIMEOUT + REKEY_TIMEOUT: new handshake. */
    NEW_HANDSHAKE,
    /** No new session for 3 * REJECT_AFTER_TIME: erase all keys. */
    ZERO_KEY_MATERIAL,
    /** The configured persistent keepalive interval passed without any packet sent. */
    PERSISTENT_KEEPALIVE
  }

  private static final Event[] EVENTS = Event.values();

  // Jitter needs no cryptographic strength and is drawn on busy paths (dataSent re-arms after
  // every received packet), so a cheap generator seeded once from the entropy source, as
  // wireguard-go's fastrandn.
  private final SplittableRandom jitter;
  private final long persistentKeepaliveInterval;
  private final boolean[] armed = new boolean[EVENTS.length];
  private final long[] deadline = new long[EVENTS.length];

  private int handshakeAttempts;
  private boolean needAnotherKeepalive;
  private boolean sentLastMinuteHandshake;

  /**
   * @param persistentKeepaliveInterval nanoseconds; 0 turns persistent keepalive off
   */
  public Timers(Entropy entropy, long persistentKeepaliveInterval) {
    byte[] seed = new byte[8];
    entropy.nextBytes(seed);
    this.jitter = new SplittableRandom(java.nio.ByteBuffer.wrap(seed).getLong());
    this.persistentKeepaliveInterval = persistentKeepaliveInterval;
  }

  /** The first expired timer (disarmed now), or null when none expired at {@code now}. */
  public Event poll(long now) {
    for (Event event : EVENTS) {
      int i = event.ordinal();
      if (armed[i] && now - deadline[i] >= 0) {
        armed[i] = false;
        return event;
      }
    }
    return null;
  }

  /** When the next timer expires, or {@link Long#MAX_VALUE} when none is armed. */
  public long nextDeadline() {
    long next = Long.MAX_VALUE;
    boolean any = false;
    for (Event event : EVENTS) {
      int i = event.ordinal();
      if (armed[i] && (!any || deadline[i] - next < 0)) {
        next = deadline[i];
        any = true;
      }
    }
    return next;
  }

  public long deadline(Event event) {
    return deadline[event.ordinal()];
  }

  /** A data packet (not a keepalive) was sent. */
  public void dataSent(long now) {
    if (!armed(Event.NEW_HANDSHAKE)) {
      arm(Event.NEW_HANDSHAKE, now + KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter());
    }
  }

  /** A data packet (not a keepalive) was received. */
  public void dataReceived(long now) {
    if (!armed(Event.SEND_KEEPALIVE)) {
      arm(Event.SEND_KEEPALIVE, now + KEEPALIVE_TIMEOUT);
    } else {
      needAnotherKeepalive = true;
    }
  }

  /** Any authenticated packet (handshake, data or keepalive) was sent. */
  public void anyAuthenticatedPacketSent() {
    disarm(Event.SEND_KEEPALIVE);
  }

  /** Any authenticated packet was received. */
  public void anyAuthenticatedPacketReceived() {
    disarm(Event.NEW_HANDSHAKE);
  }

  /** Any authenticated packet went either way: restart the persistent keepalive. */
  public void anyAuthenticatedPacketTraversal(long now) {
    if (persistentKeepaliveInterval > 0) {
      arm(Event.PERSISTENT_KEEPALIVE, now + persistentKeepaliveInterval);
    }
  }

  /** An initiation was sent. */
  public void handshakeInitiated(long now) {
    arm(Event.RETRANSMIT_HANDSHAKE, now + REKEY_TIMEOUT + jitter());
  }

  /** A handshake completed: the initiator got a response, or the responder its first data. */
  public void handshakeComplete() {
    disarm(Event.RETRANSMIT_HANDSHAKE);
    handshakeAttempts = 0;
    sentLastMinuteHandshake = false;
  }

  /** A new keypair was derived. */
  public void sessionDerived(long now) {
    arm(Event.ZERO_KEY_MATERIAL, now + REJECT_AFTER_TIME * 3);
  }

  /** A fresh (not retried) handshake starts: the retransmission count starts over. */
  public void resetHandshakeAttempts() {
    handshakeAttempts = 0;
  }

  /** Counts a retransmission; false when MAX_TIMER_HANDSHAKES were already made. */
  public boolean tryAnotherAttempt() {
    if (handshakeAttempts > MAX_TIMER_HANDSHAKES) {
      return false;
    }
    handshakeAttempts++;
    return true;
  }

  public int handshakeAttempts() {
    return handshakeAttempts;
  }

  /** After a SEND_KEEPALIVE: true (once) when more data arrived meanwhile, re-arming it. */
  public void keepaliveSent(long now) {
    if (needAnotherKeepalive) {
      needAnotherKeepalive = false;
      arm(Event.SEND_KEEPALIVE, now + KEEPALIVE_TIMEOUT);
    }
  }

  /** Gave up on handshakes: stop keepalives and schedule erasing keys unless already. */
  public void gaveUp(long now) {
    disarm(Event.SEND_KEEPALIVE);
    if (!armed(Event.ZERO_KEY_MATERIAL)) {
      arm(Event.ZERO_KEY_MATERIAL, now + REJECT_AFTER_TIME * 3);
    }
  }

  public boolean sentLastMinuteHandshake() {
    return sentLastMinuteHandshake;
  }

  public void markLastMinuteHandshake() {
    sentLastMinuteHandshake = true;
  }

  private boolean armed(Event event) {
    return armed[event.ordinal()];
  }

  private void arm(Event event, long at) {
    armed[event.ordinal()] = true;
    deadline[event.ordinal()] = at;
  }

  private void disarm(Event event) {
    armed[event.ordinal()] = false;
  }

  private long jitter() {
    return jitter.nextLong(REKEY_TIMEOUT_JITTER_MAX);
  }
}
