package io.tunnelier.agent.datapath.wireguard;

import static io.tunnelier.agent.datapath.wireguard.Constants.*;

import io.tunnelier.agent.datapath.wireguard.noise.CookieGenerator;
import io.tunnelier.agent.datapath.wireguard.noise.Entropy;
import io.tunnelier.agent.datapath.wireguard.noise.Handshake;
import io.tunnelier.agent.datapath.wireguard.noise.Keypair;
import io.tunnelier.agent.datapath.wireguard.noise.Messages;
import io.tunnelier.agent.datapath.wireguard.noise.StaticIdentity;
import io.tunnelier.agent.datapath.wireguard.noise.Tai64n;
import io.tunnelier.agent.datapath.wireguard.noise.TransportCipher;
import io.tunnelier.agent.datapath.wireguard.timers.Timers;
import java.util.Arrays;

/**
 * The WireGuard protocol core for one tunnel (one peer): bytes in, an {@link Output} out, time
 * passed in. It does no I/O, reads no clock and starts no thread, like boringtun's {@code Tunn}.
 *
 * <p>The caller
 *
 * <ul>
 *   <li>passes each inner packet from the tunnel device to {@link #encapsulate} (with {@link
 *       Output#HEADROOM} bytes free before it and {@link Output#TAILROOM} after, so encryption
 *       happens in place),
 *   <li>passes each UDP datagram from the peer to {@link #decapsulate},
 *   <li>after either, and whenever {@link #nextDeadline()} passes, calls {@link #poll} until it
 *       returns false: it yields handshake messages, keepalives and packets staged while no session
 *       existed.
 * </ul>
 *
 * Transport encryption and decryption run outside the peer's lock, so several threads may seal and
 * open packets at once, each with its own {@link TransportCipher} and {@link Output}.
 */
public final class Peer {
  private final StaticIdentity identity;
  private final Entropy entropy;
  private final int mtu;
  private final long wallClockOffset;
  private final long rekeyAfterTime;
  private final Handshake handshake;
  private final CookieGenerator cookieGenerator;
  private final HandshakeAdmission admission;
  private final Timers timers;
  private final Keypairs keypairs = new Keypairs();
  private final StagedPackets staged = new StagedPackets();

  private boolean sentHandshake;
  private long lastSentHandshake;
  private boolean initiationDue;
  private boolean keepaliveDue;
  private volatile long lastHandshake;
  private volatile boolean handshakeCompleted;
  private volatile long handshakesCompleted;
  private volatile long initiationsSent;
  private volatile long responsesSent;

  /**
   * @param mtu the tunnel MTU, to which inner packets are padded (whitepaper 5.4.6)
   * @param persistentKeepalive nanoseconds, 0: off
   * @param wallClockOffset wall-clock nanoseconds since the epoch minus the monotonic {@code now}
   *     the caller will pass; used only for the TAI64N timestamp of initiations
   */
  public Peer(
      StaticIdentity identity,
      int mtu,
      long persistentKeepalive,
      long wallClockOffset,
      Entropy entropy) {
    this(identity, mtu, persistentKeepalive, wallClockOffset, entropy, REKEY_AFTER_TIME);
  }

  /**
   * As above, with REKEY_AFTER_TIME replaced: only interoperability tests shorten it, to see a
   * time-driven rekey against an unmodified peer without waiting two minutes.
   */
  public Peer(
      StaticIdentity identity,
      int mtu,
      long persistentKeepalive,
      long wallClockOffset,
      Entropy entropy,
      long rekeyAfterTime) {
    this.rekeyAfterTime = rekeyAfterTime;
    this.identity = identity;
    this.entropy = entropy;
    this.mtu = mtu;
    this.wallClockOffset = wallClockOffset;
    this.handshake = new Handshake(identity, entropy);
    this.cookieGenerator = new CookieGenerator(identity.peerPublicKey());
    this.admission = new HandshakeAdmission(identity.publicKey(), entropy);
    this.timers = new Timers(entropy, persistentKeepalive);
  }

  /**
   * The tunnel is going away: every session and the handshake in progress are dropped and their
   * keys wiped, and so is the static identity (the peer owns the one it was given). Sealing or
   * opening after this drops the packet.
   */
  public synchronized void close() {
    keypairs.clear();
    handshake.clear();
    identity.wipe();
  }

  /** Asks for a handshake at the next {@link #poll}, e.g. at start when the endpoint is known. */
  public synchronized void requestHandshake() {
    initiationDue = true;
  }

  /**
   * Encrypts the inner packet {@code buf[offset, offset+length)} in place. Result: SEND_TO_NETWORK
   * with the transport message (in {@code buf}, starting HEADROOM before {@code offset}); or, when
   * no session exists yet, the packet is staged and the result is an initiation to send (in the
   * output's own buffer) or NONE; or DROP.
   */
  public void encapsulate(
      byte[] buf, int offset, int length, long now, TransportCipher cipher, Output out) {
    if (length > Output.MAX_PACKET) {
      out.drop(WireGuardDrop.TOO_BIG);
      return;
    }
    Keypair keypair;
    long counter;
    synchronized (this) {
      keypair = keypairs.current();
      if (keypair != null && !staged.isEmpty()) {
        // Behind packets staged earlier, a packet waits its turn: poll sends them in order.
        staged.add(buf, offset, length);
        out.none();
        return;
      }
      counter = keypair == null ? -1 : keypair.nextSendCounter(now);
      if (counter < 0) {
        staged.add(buf, offset, length);
        initiate(now, false, out);
        return;
      }
      afterSend(keypair, counter, now, length > 0);
    }
    seal(keypair, counter, buf, offset, length, cipher, out);
  }

  /**
   * Handles one datagram from the network, {@code buf[offset, offset+length)}, received from the
   * source encoded in {@code source[0, sourceLength)} (see {@code SourceAddress}). Transport data
   * is decrypted in place: WRITE_TO_TUNNEL points into {@code buf}.
   */
  public void decapsulate(
      byte[] buf,
      int offset,
      int length,
      byte[] source,
      int sourceLength,
      long now,
      TransportCipher cipher,
      Output out) {
    if (length < 4) {
      out.drop(WireGuardDrop.SHORT);
      return;
    }
    int type = Messages.type(buf, offset);
    if (type == Messages.TYPE_TRANSPORT && length >= Messages.TRANSPORT_MIN_SIZE) {
      receiveTransport(buf, offset, length, now, cipher, out);
    } else if (type == Messages.TYPE_INITIATION && length == Messages.INITIATION_SIZE) {
      synchronized (this) {
        receiveInitiation(buf, offset, source, sourceLength, now, out);
      }
    } else if (type == Messages.TYPE_RESPONSE && length == Messages.RESPONSE_SIZE) {
      synchronized (this) {
        receiveResponse(buf, offset, source, sourceLength, now, out);
      }
    } else if (type == Messages.TYPE_COOKIE_REPLY && length == Messages.COOKIE_REPLY_SIZE) {
      synchronized (this) {
        receiveCookieReply(buf, offset, now, out);
      }
    } else {
      out.drop(type < 1 || type > 4 ? WireGuardDrop.BAD_TYPE : WireGuardDrop.BAD_LENGTH);
    }
  }

  /**
   * Produces the next thing the core wants sent on its own: a due initiation, a staged packet, a
   * keepalive, or what an expired timer asks for. Returns false (output NONE) when nothing is left.
   */
  public synchronized boolean poll(long now, TransportCipher cipher, Output out) {
    out.none();
    if (initiationDue) {
      initiationDue = false;
      initiate(now, false, out);
      if (out.action() != Output.Action.NONE) {
        return true;
      }
    }
    if (!staged.isEmpty() && sendStaged(now, cipher, out)) {
      return true;
    }
    if (keepaliveDue) {
      keepaliveDue = false;
      if (sendKeepalive(now, cipher, out)) {
        return true;
      }
    }
    for (Timers.Event event = timers.poll(now); event != null; event = timers.poll(now)) {
      if (expired(event, now, cipher, out)) {
        return true;
      }
    }
    out.none();
    return false;
  }

  /** When {@link #poll} should be called next at the latest (monotonic nanoseconds). */
  public synchronized long nextDeadline() {
    return timers.nextDeadline();
  }

  /** Monotonic time of the last completed handshake, or -1 if none completed. */
  public long lastHandshake() {
    return handshakeCompleted ? lastHandshake : -1;
  }

  public long cookieRepliesSent() {
    return admission.cookieRepliesSent();
  }

  public long handshakesCompleted() {
    return handshakesCompleted;
  }

  /** Initiations this end sent (first tries, retries and rekeys). */
  public long initiationsSent() {
    return initiationsSent;
  }

  /** Responses this end sent, i.e. handshakes the peer initiated. */
  public long responsesSent() {
    return responsesSent;
  }

  /** The keypair used for sending now; null before the first handshake. For tests and stats. */
  public Keypair currentKeypair() {
    return keypairs.current();
  }

  // ---- send ----

  private void seal(
      Keypair keypair,
      long counter,
      byte[] buf,
      int offset,
      int length,
      TransportCipher cipher,
      Output out) {
    int padded = length + paddingSize(length);
    Arrays.fill(buf, offset + length, offset + padded, (byte) 0);
    int header = offset - Messages.TRANSPORT_HEADER_SIZE;
    Messages.putType(buf, header, Messages.TYPE_TRANSPORT);
    Messages.putInt(buf, header + Messages.TRANSPORT_RECEIVER, keypair.remoteIndex());
    Messages.putLong(buf, header + Messages.TRANSPORT_COUNTER, counter);
    if (!keypair.acquire()) {
      // Retired (and wiped) since the counter was reserved: two handshakes completed meanwhile.
      out.drop(WireGuardDrop.KEYPAIR_EXPIRED);
      return;
    }
    int sealed;
    try {
      sealed = cipher.seal(keypair.sendKey(), counter, buf, offset, padded);
    } finally {
      keypair.release();
    }
    out.send(buf, header, Messages.TRANSPORT_HEADER_SIZE + sealed);
  }

  /** wireguard-go's calculatePaddingSize: pad to 16 bytes, but never past the MTU. */
  private int paddingSize(int length) {
    if (mtu == 0) {
      return ((length + 15) & ~15) - length;
    }
    int lastUnit = length;
    if (lastUnit > mtu) {
      lastUnit %= mtu;
    }
    int paddedSize = (lastUnit + 15) & ~15;
    if (paddedSize > mtu) {
      paddedSize = mtu;
    }
    return paddedSize - lastUnit;
  }

  private void afterSend(Keypair keypair, long counter, long now, boolean data) {
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketSent();
    if (data) {
      timers.dataSent(now);
    }
    // keepKeyFreshSending: the initiator rekeys by age, either side by message count.
    if (Long.compareUnsigned(counter, REKEY_AFTER_MESSAGES) > 0
        || (keypair.initiator() && now - keypair.created() > rekeyAfterTime)) {
      initiationDue = true;
    }
  }

  private boolean sendKeepalive(long now, TransportCipher cipher, Output out) {
    Keypair keypair = keypairs.current();
    long counter = keypair == null ? -1 : keypair.nextSendCounter(now);
    if (counter < 0) {
      initiate(now, false, out);
      return out.action() != Output.Action.NONE;
    }
    afterSend(keypair, counter, now, false);
    seal(keypair, counter, out.scratch, Output.HEADROOM, 0, cipher, out);
    return true;
  }

  private boolean sendStaged(long now, TransportCipher cipher, Output out) {
    Keypair keypair = keypairs.current();
    long counter = keypair == null ? -1 : keypair.nextSendCounter(now);
    if (counter < 0) {
      return false;
    }
    int length = staged.takeInto(out.scratch, Output.HEADROOM);
    afterSend(keypair, counter, now, length > 0);
    seal(keypair, counter, out.scratch, Output.HEADROOM, length, cipher, out);
    return true;
  }

  /** SendHandshakeInitiation: at most one per REKEY_TIMEOUT. */
  private void initiate(long now, boolean retry, Output out) {
    if (!retry) {
      timers.resetHandshakeAttempts();
    }
    if (sentHandshake && now - lastSentHandshake < REKEY_TIMEOUT) {
      out.none();
      return;
    }
    byte[] msg = out.scratch;
    int index = newIndex();
    if (!handshake.createInitiation(msg, 0, index, Tai64n.of(now + wallClockOffset), null)) {
      out.none();
      return;
    }
    sentHandshake = true;
    lastSentHandshake = now;
    cookieGenerator.addMacs(msg, 0, Messages.INITIATION_SIZE, now);
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketSent();
    timers.handshakeInitiated(now);
    initiationsSent++;
    out.send(msg, 0, Messages.INITIATION_SIZE);
  }

  private boolean expired(Timers.Event event, long now, TransportCipher cipher, Output out) {
    switch (event) {
      case RETRANSMIT_HANDSHAKE:
        if (!timers.tryAnotherAttempt()) {
          timers.gaveUp(now);
          staged.clear();
          return false;
        }
        initiate(now, true, out);
        return out.action() != Output.Action.NONE;
      case SEND_KEEPALIVE:
        boolean sent = sendKeepalive(now, cipher, out);
        timers.keepaliveSent(now);
        return sent;
      case NEW_HANDSHAKE:
        initiate(now, false, out);
        return out.action() != Output.Action.NONE;
      case ZERO_KEY_MATERIAL:
        keypairs.clear();
        handshake.clear();
        return false;
      case PERSISTENT_KEEPALIVE:
        return sendKeepalive(now, cipher, out);
      default:
        return false;
    }
  }

  // ---- receive ----

  private void receiveTransport(
      byte[] buf, int offset, int length, long now, TransportCipher cipher, Output out) {
    int receiver = Messages.getInt(buf, offset + Messages.TRANSPORT_RECEIVER);
    Keypair keypair = keypairs.find(receiver);
    if (keypair == null) {
      out.drop(WireGuardDrop.UNKNOWN_INDEX);
      return;
    }
    if (!keypair.receivable(now)) {
      out.drop(WireGuardDrop.KEYPAIR_EXPIRED);
      return;
    }
    long counter = Messages.getLong(buf, offset + Messages.TRANSPORT_COUNTER);
    int content = offset + Messages.TRANSPORT_HEADER_SIZE;
    if (!keypair.acquire()) {
      // Retired (and wiped) since find: as if the packet had come a moment later.
      out.drop(WireGuardDrop.UNKNOWN_INDEX);
      return;
    }
    int plain;
    try {
      plain =
          cipher.open(
              keypair.receiveKey(), counter, buf, content, length - Messages.TRANSPORT_HEADER_SIZE);
    } finally {
      keypair.release();
    }
    if (plain < 0) {
      out.drop(WireGuardDrop.DECRYPT);
      return;
    }
    // Only after authentication may the counter move the window (whitepaper 5.4.6).
    if (!keypair.acceptCounter(counter)) {
      out.drop(WireGuardDrop.REPLAY);
      return;
    }
    synchronized (this) {
      afterReceive(keypair, now, plain > 0);
    }
    if (plain == 0) {
      out.none().authenticated(true);
      return;
    }
    int inner = innerLength(buf, content, plain);
    if (inner < 0) {
      out.drop(WireGuardDrop.BAD_INNER_PACKET);
      return;
    }
    out.write(buf, content, inner).authenticated(true);
  }

  private void afterReceive(Keypair keypair, long now, boolean data) {
    if (keypairs.confirm(keypair)) {
      handshakeComplete(now);
    }
    // keepKeyFreshReceiving: an initiator whose session nears REJECT_AFTER_TIME rekeys once.
    Keypair now0 = keypairs.current();
    if (!timers.sentLastMinuteHandshake()
        && now0 != null
        && now0.initiator()
        && now - now0.created() > REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT) {
      timers.markLastMinuteHandshake();
      initiationDue = true;
    }
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketReceived();
    if (data) {
      timers.dataReceived(now);
    }
  }

  /** The IP packet's own length (padding removed), or -1 when it is not a sane IP packet. */
  static int innerLength(byte[] buf, int offset, int length) {
    int version = (buf[offset] & 0xff) >>> 4;
    if (version == 4 && length >= 20) {
      int total = ((buf[offset + 2] & 0xff) << 8) | (buf[offset + 3] & 0xff);
      return total >= 20 && total <= length ? total : -1;
    }
    if (version == 6 && length >= 40) {
      int total = 40 + (((buf[offset + 4] & 0xff) << 8) | (buf[offset + 5] & 0xff));
      return total <= length ? total : -1;
    }
    return -1;
  }

  private void receiveInitiation(
      byte[] buf, int offset, byte[] source, int sourceLength, long now, Output out) {
    if (!admission.admit(buf, offset, Messages.INITIATION_SIZE, source, sourceLength, now, out)) {
      return;
    }
    if (!handshake.consumeInitiation(buf, offset, now)) {
      out.drop(handshake.lastFailure().reason());
      return;
    }
    byte[] msg = out.scratch;
    if (!handshake.createResponse(msg, 0, newIndex(), null)) {
      out.drop(handshake.lastFailure().reason());
      return;
    }
    cookieGenerator.addMacs(msg, 0, Messages.RESPONSE_SIZE, now);
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketReceived();
    Keypair keypair = handshake.beginSession(now);
    keypairs.responderDerived(keypair);
    timers.sessionDerived(now);
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketSent();
    responsesSent++;
    out.send(msg, 0, Messages.RESPONSE_SIZE).authenticated(true);
  }

  private void receiveResponse(
      byte[] buf, int offset, byte[] source, int sourceLength, long now, Output out) {
    if (!admission.admit(buf, offset, Messages.RESPONSE_SIZE, source, sourceLength, now, out)) {
      return;
    }
    if (!handshake.consumeResponse(buf, offset)) {
      out.drop(handshake.lastFailure().reason());
      return;
    }
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketReceived();
    Keypair keypair = handshake.beginSession(now);
    keypairs.initiatorDerived(keypair);
    timers.sessionDerived(now);
    handshakeComplete(now);
    // Confirm the session to the responder at once: staged data, or else a keepalive.
    keepaliveDue = true;
    out.none().authenticated(true);
  }

  private void receiveCookieReply(byte[] buf, int offset, long now, Output out) {
    int receiver = Messages.getInt(buf, offset + Messages.COOKIE_RECEIVER);
    boolean ours =
        (handshake.state() == Handshake.State.INITIATION_CREATED
                && handshake.localIndex() == receiver)
            || keypairs.find(receiver) != null;
    if (!ours || !cookieGenerator.consumeReply(buf, offset, now)) {
      out.drop(WireGuardDrop.COOKIE_INVALID);
      return;
    }
    out.none();
  }

  private void handshakeComplete(long now) {
    timers.handshakeComplete();
    lastHandshake = now;
    handshakeCompleted = true;
    handshakesCompleted++;
  }

  private int newIndex() {
    return keypairs.unusedIndex(entropy, handshake.localIndex());
  }

  @Override
  public String toString() {
    return "Peer[" + identity + ", handshake=" + handshake.state() + "]";
  }
}
