package io.tunnelier.agent.datapath.wireguard.noise;

import static io.tunnelier.agent.datapath.wireguard.noise.Messages.*;

import io.tunnelier.agent.datapath.wireguard.Constants;
import io.tunnelier.api.keys.X25519Keys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s handshake with one peer (whitepaper 5.4.2-5.4.5), both
 * roles. It writes and reads message bytes without MACs (see {@link CookieGenerator} and {@link
 * CookieChecker}) and derives a {@link Keypair}. No I/O, no clock: {@code now} is passed in. Not
 * thread-safe; the owning peer serialises calls.
 */
public final class Handshake {
  static final byte[] CONSTRUCTION =
      "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s".getBytes(StandardCharsets.US_ASCII);
  static final byte[] IDENTIFIER =
      "WireGuard v1 zx2c4 Jason@zx2c4.com".getBytes(StandardCharsets.US_ASCII);

  /** Ci = HASH(CONSTRUCTION). */
  public static final byte[] INITIAL_CHAIN_KEY = Blake2s.hash(CONSTRUCTION);

  /** Hi = HASH(Ci || IDENTIFIER). */
  public static final byte[] INITIAL_HASH = Blake2s.hash(INITIAL_CHAIN_KEY, IDENTIFIER);

  private static final byte[] EMPTY = new byte[0];

  /** Where the handshake stands, as wireguard-go's handshakeState. */
  public enum State {
    ZEROED,
    INITIATION_CREATED,
    INITIATION_CONSUMED,
    RESPONSE_CREATED,
    RESPONSE_CONSUMED
  }

  /** Why a message was refused; the datapath counts drops by these names. */
  public enum Failure {
    DECRYPT("wg-handshake-decrypt"),
    UNKNOWN_PEER("wg-handshake-unknown-peer"),
    LOW_ORDER_POINT("wg-handshake-low-order"),
    REPLAYED_TIMESTAMP("wg-handshake-replayed-timestamp"),
    FLOOD("wg-handshake-flood"),
    WRONG_STATE("wg-handshake-unexpected"),
    WRONG_INDEX("wg-handshake-unknown-index");

    private final String reason;

    Failure(String reason) {
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  private final StaticIdentity identity;
  private final Entropy entropy;

  private State state = State.ZEROED;
  private byte[] hash;
  private byte[] chainKey;
  private byte[] localEphemeral;
  private byte[] remoteEphemeral;
  private int localIndex;
  private int remoteIndex;
  private byte[] lastTimestamp = new byte[Tai64n.SIZE];
  private long lastInitiationConsumption;
  private boolean consumedAny;
  private Failure lastFailure;

  public Handshake(StaticIdentity identity, Entropy entropy) {
    this.identity = identity;
    this.entropy = entropy;
  }

  public State state() {
    return state;
  }

  public int localIndex() {
    return localIndex;
  }

  /** Why the last consume call returned false. */
  public Failure lastFailure() {
    return lastFailure;
  }

  /**
   * Writes an initiation (without MACs) to {@code out[offset..offset+148)}. A handshake in progress
   * is abandoned (its secrets wiped).
   *
   * @param index this end's new session index (sender)
   * @param timestamp TAI64N of the wall clock, see {@link Tai64n}
   * @param ephemeralPrivate the ephemeral key (copied); null to draw one from the entropy source
   */
  public boolean createInitiation(
      byte[] out, int offset, int index, byte[] timestamp, byte[] ephemeralPrivate) {
    byte[] h = Blake2s.hash(INITIAL_HASH, identity.peerPublicKeyRaw());
    byte[] ck = INITIAL_CHAIN_KEY;
    byte[] eph =
        ephemeralPrivate != null
            ? ephemeralPrivate.clone()
            : X25519Keys.generatePrivate(entropy::nextBytes);
    X25519Keys.clamp(eph);
    byte[] ephPub = X25519Keys.publicKey(eph);

    Arrays.fill(out, offset, offset + INITIATION_SIZE, (byte) 0);
    putType(out, offset, TYPE_INITIATION);
    putInt(out, offset + INITIATION_SENDER, index);
    System.arraycopy(ephPub, 0, out, offset + INITIATION_EPHEMERAL, 32);
    ck = replace(ck, Blake2s.kdf1(ck, ephPub));
    h = replace(h, Blake2s.hash(h, ephPub));

    byte[] es = X25519Keys.dh(eph, identity.peerPublicKeyRaw());
    if (es == null) {
      wipe(h, ck, eph);
      return false;
    }
    byte[][] kdf = Blake2s.kdf(2, ck, es);
    wipe(es);
    ck = replace(ck, kdf[0]);
    Aead.seal(kdf[1], 0, identity.publicKeyRaw(), h, out, offset + INITIATION_STATIC);
    wipe(kdf[1]);
    h =
        replace(
            h, Blake2s.hash(h, Arrays.copyOfRange(out, offset + INITIATION_STATIC, offset + 88)));

    kdf = Blake2s.kdf(2, ck, identity.staticStatic());
    ck = replace(ck, kdf[0]);
    Aead.seal(kdf[1], 0, timestamp, h, out, offset + INITIATION_TIMESTAMP);
    wipe(kdf[1]);
    h =
        replace(
            h,
            Blake2s.hash(h, Arrays.copyOfRange(out, offset + INITIATION_TIMESTAMP, offset + 116)));

    wipe(hash, chainKey, localEphemeral);
    hash = h;
    chainKey = ck;
    localEphemeral = eph;
    localIndex = index;
    state = State.INITIATION_CREATED;
    return true;
  }

  /**
   * Reads an initiation whose MAC1 was already checked. On success the handshake is ready for
   * {@link #createResponse} (one in progress is abandoned, its secrets wiped); on failure {@link
   * #lastFailure()} says why and nothing changed.
   */
  public boolean consumeInitiation(byte[] msg, int offset, long now) {
    byte[] h = Blake2s.hash(INITIAL_HASH, identity.publicKeyRaw());
    byte[] ck = INITIAL_CHAIN_KEY;
    byte[] ephPub =
        Arrays.copyOfRange(msg, offset + INITIATION_EPHEMERAL, offset + INITIATION_STATIC);
    ck = replace(ck, Blake2s.kdf1(ck, ephPub));
    h = replace(h, Blake2s.hash(h, ephPub));

    byte[] es = X25519Keys.dh(identity.privateKey(), ephPub);
    if (es == null) {
      return fail(Failure.LOW_ORDER_POINT, h, ck);
    }
    byte[][] kdf = Blake2s.kdf(2, ck, es);
    wipe(es);
    ck = replace(ck, kdf[0]);
    byte[] peerStatic = Aead.open(kdf[1], 0, msg, offset + INITIATION_STATIC, 48, h);
    wipe(kdf[1]);
    if (peerStatic == null) {
      return fail(Failure.DECRYPT, h, ck);
    }
    h =
        replace(
            h, Blake2s.hash(h, Arrays.copyOfRange(msg, offset + INITIATION_STATIC, offset + 88)));
    if (!identity.isPeer(peerStatic)) {
      return fail(Failure.UNKNOWN_PEER, h, ck);
    }

    kdf = Blake2s.kdf(2, ck, identity.staticStatic());
    ck = replace(ck, kdf[0]);
    byte[] timestamp = Aead.open(kdf[1], 0, msg, offset + INITIATION_TIMESTAMP, 28, h);
    wipe(kdf[1]);
    if (timestamp == null) {
      return fail(Failure.DECRYPT, h, ck);
    }
    h =
        replace(
            h,
            Blake2s.hash(h, Arrays.copyOfRange(msg, offset + INITIATION_TIMESTAMP, offset + 116)));

    // Replayed initiations carry an old timestamp; a flood of fresh ones is limited per peer.
    if (!Tai64n.after(timestamp, lastTimestamp)) {
      return fail(Failure.REPLAYED_TIMESTAMP, h, ck);
    }
    if (consumedAny && now - lastInitiationConsumption <= Constants.HANDSHAKE_INITIATION_RATE) {
      return fail(Failure.FLOOD, h, ck);
    }

    wipe(hash, chainKey, localEphemeral);
    hash = h;
    chainKey = ck;
    remoteIndex = getInt(msg, offset + INITIATION_SENDER);
    remoteEphemeral = ephPub;
    lastTimestamp = timestamp;
    lastInitiationConsumption = now;
    consumedAny = true;
    localEphemeral = null;
    state = State.INITIATION_CONSUMED;
    return true;
  }

  /** Writes a response (without MACs) to {@code out[offset..offset+92)}. */
  public boolean createResponse(byte[] out, int offset, int index, byte[] ephemeralPrivate) {
    if (state != State.INITIATION_CONSUMED) {
      return fail(Failure.WRONG_STATE);
    }
    byte[] eph =
        ephemeralPrivate != null
            ? ephemeralPrivate.clone()
            : X25519Keys.generatePrivate(entropy::nextBytes);
    X25519Keys.clamp(eph);
    byte[] ephPub = X25519Keys.publicKey(eph);

    Arrays.fill(out, offset, offset + RESPONSE_SIZE, (byte) 0);
    putType(out, offset, TYPE_RESPONSE);
    putInt(out, offset + RESPONSE_SENDER, index);
    putInt(out, offset + RESPONSE_RECEIVER, remoteIndex);
    System.arraycopy(ephPub, 0, out, offset + RESPONSE_EPHEMERAL, 32);

    byte[] h = Blake2s.hash(hash, ephPub);
    byte[] ck = Blake2s.kdf1(chainKey, ephPub);
    byte[] ee = X25519Keys.dh(eph, remoteEphemeral);
    byte[] se = X25519Keys.dh(eph, identity.peerPublicKeyRaw());
    if (ee == null || se == null) {
      return fail(Failure.LOW_ORDER_POINT, h, ck, eph, ee, se);
    }
    ck = replace(ck, Blake2s.kdf1(ck, ee));
    ck = replace(ck, Blake2s.kdf1(ck, se));
    wipe(ee, se);
    byte[][] kdf = Blake2s.kdf(3, ck, identity.presharedKey());
    ck = replace(ck, kdf[0]);
    h = replace(h, Blake2s.hash(h, kdf[1]));
    Aead.seal(kdf[2], 0, EMPTY, h, out, offset + RESPONSE_EMPTY);
    wipe(kdf[1], kdf[2]);
    h =
        replace(
            h,
            Blake2s.hash(
                h, Arrays.copyOfRange(out, offset + RESPONSE_EMPTY, offset + RESPONSE_MAC1)));

    wipe(hash, chainKey, localEphemeral);
    hash = h;
    chainKey = ck;
    localEphemeral = eph;
    localIndex = index;
    state = State.RESPONSE_CREATED;
    return true;
  }

  /** Reads a response whose MAC1 was already checked, to the initiation this end sent. */
  public boolean consumeResponse(byte[] msg, int offset) {
    if (state != State.INITIATION_CREATED) {
      return fail(Failure.WRONG_STATE);
    }
    if (getInt(msg, offset + RESPONSE_RECEIVER) != localIndex) {
      return fail(Failure.WRONG_INDEX);
    }
    byte[] ephPub = Arrays.copyOfRange(msg, offset + RESPONSE_EPHEMERAL, offset + RESPONSE_EMPTY);
    byte[] h = Blake2s.hash(hash, ephPub);
    byte[] ck = Blake2s.kdf1(chainKey, ephPub);
    byte[] ee = X25519Keys.dh(localEphemeral, ephPub);
    byte[] se = X25519Keys.dh(identity.privateKey(), ephPub);
    if (ee == null || se == null) {
      return fail(Failure.LOW_ORDER_POINT, h, ck, ee, se);
    }
    ck = replace(ck, Blake2s.kdf1(ck, ee));
    ck = replace(ck, Blake2s.kdf1(ck, se));
    wipe(ee, se);
    byte[][] kdf = Blake2s.kdf(3, ck, identity.presharedKey());
    ck = replace(ck, kdf[0]);
    h = replace(h, Blake2s.hash(h, kdf[1]));
    byte[] empty = Aead.open(kdf[2], 0, msg, offset + RESPONSE_EMPTY, 16, h);
    wipe(kdf[1], kdf[2]);
    if (empty == null) {
      return fail(Failure.DECRYPT, h, ck);
    }
    h =
        replace(
            h,
            Blake2s.hash(
                h, Arrays.copyOfRange(msg, offset + RESPONSE_EMPTY, offset + RESPONSE_MAC1)));

    // The ephemeral key has done its work: only the chaining key is needed for the session.
    wipe(hash, chainKey, localEphemeral);
    hash = h;
    chainKey = ck;
    localEphemeral = null;
    remoteIndex = getInt(msg, offset + RESPONSE_SENDER);
    state = State.RESPONSE_CONSUMED;
    return true;
  }

  /**
   * Derives the transport keys (whitepaper 5.4.5) once this end consumed a response (initiator) or
   * created one (responder), and wipes the handshake's secrets. Null in any other state.
   */
  public Keypair beginSession(long now) {
    boolean initiator;
    if (state == State.RESPONSE_CONSUMED) {
      initiator = true;
    } else if (state == State.RESPONSE_CREATED) {
      initiator = false;
    } else {
      return null;
    }
    byte[][] keys = Blake2s.kdf(2, chainKey, EMPTY);
    byte[] send = initiator ? keys[0] : keys[1];
    byte[] receive = initiator ? keys[1] : keys[0];
    Keypair keypair = new Keypair(send, receive, localIndex, remoteIndex, initiator, now);
    wipe(keys);
    clear();
    return keypair;
  }

  /**
   * Forgets the handshake in progress, its secrets wiped (keeps the replay-protection timestamp).
   */
  public void clear() {
    wipe(hash, chainKey, localEphemeral);
    hash = null;
    chainKey = null;
    localEphemeral = null;
    remoteEphemeral = null;
    state = State.ZEROED;
  }

  /**
   * The secrets in progress, for tests of the wiping: hash, chaining key, ephemeral private key.
   */
  byte[][] secretsForTest() {
    return new byte[][] {hash, chainKey, localEphemeral};
  }

  /** Refuses a message; the temporaries it derived are wiped. */
  private boolean fail(Failure failure, byte[]... temporaries) {
    wipe(temporaries);
    lastFailure = failure;
    return false;
  }

  /** {@code next}, once {@code old} (a chaining key or hash this handshake derived) is wiped. */
  private static byte[] replace(byte[] old, byte[] next) {
    wipe(old);
    return next;
  }

  private static void wipe(byte[]... secrets) {
    for (byte[] secret : secrets) {
      // The initial chaining key and hash are constants shared by every handshake.
      if (secret != null && secret != INITIAL_CHAIN_KEY && secret != INITIAL_HASH) {
        Arrays.fill(secret, (byte) 0);
      }
    }
  }

  @Override
  public String toString() {
    return "Handshake[" + state + "]";
  }
}
