package io.tunnelier.agent.datapath.wireguard.noise;

import io.tunnelier.agent.datapath.wireguard.Constants;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The symmetric session a handshake derives (whitepaper 5.4.5): a sending and a receiving key, the
 * two session indices, the next sending counter and the replay window of the receiving side.
 * Senders may reserve counters from several threads; the replay window is serialised on itself.
 */
public final class Keypair {
  private final TransportKey sendKey;
  private final TransportKey receiveKey;
  private final int localIndex;
  private final int remoteIndex;
  private final boolean initiator;
  private final long created;
  private final AtomicLong sendCounter = new AtomicLong();
  private final ReplayFilter replay = new ReplayFilter();

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

  @Override
  public String toString() {
    return "Keypair[local="
        + Integer.toUnsignedString(localIndex)
        + ", initiator="
        + initiator
        + "]";
  }
}
