package io.tunnelier.agent.datapath.wireguard.noise;

import io.tunnelier.agent.datapath.wireguard.Constants;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The symmetric session a handshake derives (whitepaper 5.4.5): a sending and a receiving key, the
 * two session indices, the next sending counter and the replay window of the receiving side.
 * Senders may reserve counters from several threads; the replay window is serialised on itself.
 *
 * <p>Its keys are wiped when it is {@link #retire() retired} (replaced, expired, or all sessions
 * zeroed), but never under a seal or open in flight: each of those holds a {@link #acquire() use},
 * and the last use of a retired keypair wipes it (as the kernel frees keys only after RCU readers
 * are done).
 */
public final class Keypair {
  /** In {@link #uses}: set once retired. */
  private static final int RETIRED = 1;

  /** In {@link #uses}: one seal or open in flight. */
  private static final int USE = 2;

  private final TransportKey sendKey;
  private final TransportKey receiveKey;
  private final int localIndex;
  private final int remoteIndex;
  private final boolean initiator;
  private final long created;
  private final AtomicLong sendCounter = new AtomicLong();
  private final ReplayFilter replay = new ReplayFilter();
  private final AtomicInteger uses = new AtomicInteger();

  public Keypair(
      byte[] sendKey,
      byte[] receiveKey,
      int localIndex,
      int remoteIndex,
      boolean initiator,
      long created) {
    this(sendKey, receiveKey, localIndex, remoteIndex, initiator, created, 0);
  }

  /** With the sending counter starting elsewhere than 0: tests of the message limits only. */
  Keypair(
      byte[] sendKey,
      byte[] receiveKey,
      int localIndex,
      int remoteIndex,
      boolean initiator,
      long created,
      long firstSendCounter) {
    this.sendCounter.set(firstSendCounter);
    // The keys are copied: the caller wipes its arrays.
    this.sendKey = new TransportKey(sendKey);
    this.receiveKey = new TransportKey(receiveKey);
    this.localIndex = localIndex;
    this.remoteIndex = remoteIndex;
    this.initiator = initiator;
    this.created = created;
  }

  public TransportKey sendKey() {
    return sendKey;
  }

  public TransportKey receiveKey() {
    return receiveKey;
  }

  public int localIndex() {
    return localIndex;
  }

  public int remoteIndex() {
    return remoteIndex;
  }

  public boolean initiator() {
    return initiator;
  }

  public long created() {
    return created;
  }

  /** The counter the next message would use (unsigned). */
  public long sendCounter() {
    return sendCounter.get();
  }

  /**
   * Reserves the next sending counter, or returns -1 when the keypair may no longer send:
   * REJECT_AFTER_MESSAGES reached or older than REJECT_AFTER_TIME.
   */
  public long nextSendCounter(long now) {
    if (now - created >= Constants.REJECT_AFTER_TIME) {
      return -1;
    }
    long counter = sendCounter.getAndIncrement();
    if (Long.compareUnsigned(counter, Constants.REJECT_AFTER_MESSAGES) >= 0) {
      sendCounter.set(Constants.REJECT_AFTER_MESSAGES);
      return -1;
    }
    return counter;
  }

  /** Whether a received message may be decrypted with this keypair at all (age limit). */
  public boolean receivable(long now) {
    return now - created < Constants.REJECT_AFTER_TIME;
  }

  /** Records a received counter after authentication; false for a replay or out of window. */
  public boolean acceptCounter(long counter) {
    synchronized (replay) {
      return replay.validateCounter(counter, Constants.REJECT_AFTER_MESSAGES);
    }
  }

  /**
   * Takes one use of the keys for a seal or open; false once retired (the keypair is gone). Every
   * true is paired with a {@link #release()}.
   */
  public boolean acquire() {
    if ((uses.addAndGet(USE) & RETIRED) != 0) {
      release();
      return false;
    }
    return true;
  }

  /** Ends a use; the last use of a retired keypair wipes its keys. */
  public void release() {
    if (uses.addAndGet(-USE) == RETIRED) {
      wipe();
    }
  }

  /**
   * No session slot holds this keypair any more: its keys are wiped now, or when the last seal or
   * open in flight ends. Idempotent.
   */
  public void retire() {
    int before;
    do {
      before = uses.get();
      if ((before & RETIRED) != 0) {
        return;
      }
    } while (!uses.compareAndSet(before, before | RETIRED));
    if (before == 0) {
      wipe();
    }
  }

  /** Whether both keys are all zeros (tests of the wiping). */
  public boolean wiped() {
    return sendKey.isWiped() && receiveKey.isWiped();
  }

  private void wipe() {
    // Reached at most twice (by retire and a racing release); wiping twice is harmless.
    sendKey.wipe();
    receiveKey.wipe();
  }

  @Override
  public String toString() {
    return "Keypair[local="
        + Integer.toUnsignedString(localIndex)
        + ", initiator="
        + initiator
        + "]";
  }
}
