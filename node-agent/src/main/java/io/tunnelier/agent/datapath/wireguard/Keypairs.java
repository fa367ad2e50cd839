package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.wireguard.noise.Entropy;
import io.tunnelier.agent.datapath.wireguard.noise.Keypair;

/**
 * A peer's sessions, as wireguard-go's {@code Keypairs}: {@code current} sends, {@code previous}
 * still receives what was in flight, and a responder's {@code next} waits until the initiator uses
 * it. Also the peer's index table: which session a receiver index names, and fresh indices no
 * session uses. Reads are lock-free (transport data); changes happen under the peer's lock. A
 * keypair that leaves the last slot is {@linkplain Keypair#retire() retired}: its keys are wiped.
 */
final class Keypairs {
  private volatile Keypair current;
  private volatile Keypair previous;
  private volatile Keypair next;

  /** The keypair used for sending now; null before the first handshake. */
  Keypair current() {
    return current;
  }

  /** The session whose local index is {@code index}, or null. */
  Keypair find(int index) {
    Keypair keypair = current;
    if (keypair != null && keypair.localIndex() == index) {
      return keypair;
    }
    keypair = next;
    if (keypair != null && keypair.localIndex() == index) {
      return keypair;
    }
    keypair = previous;
    if (keypair != null && keypair.localIndex() == index) {
      return keypair;
    }
    return null;
  }

  /**
   * The responder's new session is confirmed by the initiator's first message with it: true (and
   * {@code keypair} is now current) when {@code keypair} was the one waiting.
   */
  boolean confirm(Keypair keypair) {
    if (keypair != next) {
      return false;
    }
    retire(previous);
    previous = current;
    current = keypair;
    next = null;
    return true;
  }

  /** Responder: the new session waits in "next" until the initiator uses it. */
  void responderDerived(Keypair keypair) {
    retire(next);
    retire(previous);
    next = keypair;
    previous = null;
  }

  /** Initiator: the new session is current at once; a pending "next" becomes previous. */
  void initiatorDerived(Keypair keypair) {
    Keypair pending = next;
    retire(previous);
    if (pending != null) {
      next = null;
      previous = pending;
      retire(current);
    } else {
      previous = current;
    }
    current = keypair;
  }

  /** ZERO_KEY_MATERIAL (or the peer closing): every session is gone, its keys wiped. */
  void clear() {
    retire(current);
    retire(previous);
    retire(next);
    current = null;
    previous = null;
    next = null;
  }

  private static void retire(Keypair dropped) {
    if (dropped != null) {
      dropped.retire();
    }
  }

  /** A random session index not used by any keypair nor by {@code pending} (the handshake's). */
  int unusedIndex(Entropy entropy, int pending) {
    while (true) {
      int index = entropy.nextInt(Integer.MAX_VALUE) ^ (entropy.nextInt(2) << 31);
      if (find(index) == null && index != pending) {
        return index;
      }
    }
  }
}
