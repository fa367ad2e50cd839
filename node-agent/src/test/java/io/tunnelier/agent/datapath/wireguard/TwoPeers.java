package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.wireguard.noise.Entropy;
import io.tunnelier.agent.datapath.wireguard.noise.StaticIdentity;
import io.tunnelier.agent.datapath.wireguard.noise.TransportCipher;
import io.tunnelier.api.keys.X25519Keys;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Two protocol cores joined by an in-memory "network" with a hand-driven clock: the faithful fake
 * the unit tests use instead of sockets and TUN devices. Nothing is delivered until a test says so,
 * so tests can capture, drop, replay or tamper with messages.
 */
final class TwoPeers {
  static final long SECOND = 1_000_000_000L;

  final class Side {
    final String name;
    final Peer peer;
    final TransportCipher cipher = new TransportCipher();
    final Output out = new Output();
    final byte[] source;

    /** Messages this side sent, not yet delivered to the other side. */
    final Deque<byte[]> outbox = new ArrayDeque<>();

    /** Inner packets this side wrote to its tunnel. */
    final List<byte[]> tunnel = new ArrayList<>();

    final List<String> drops = new ArrayList<>();

    /** Whether the last datagram received authenticated as the peer's. */
    boolean authenticated;

    final byte[] publicKey;
    final byte[] privateKey;

    Side(
        String name,
        byte[] privateKey,
        byte[] peerPublic,
        long keepalive,
        byte[] source,
        long seed) {
      this.name = name;
      this.privateKey = privateKey;
      this.publicKey = X25519Keys.publicKey(privateKey);
      Random random = new Random(seed);
      Entropy entropy = random::nextBytes;
      this.peer =
          new Peer(new StaticIdentity(privateKey, peerPublic, null), 1420, keepalive, 0, entropy);
      this.source = source;
    }

    /** Hands an inner packet to this side's core, as the TUN reader would. */
    void send(byte[] packet) {
      byte[] buf = new byte[Output.HEADROOM + packet.length + Output.TAILROOM];
      System.arraycopy(packet, 0, buf, Output.HEADROOM, packet.length);
      peer.encapsulate(buf, Output.HEADROOM, packet.length, now, cipher, out);
      collect();
      drain();
    }

    /** Delivers one datagram to this side's core, from the other side's address. */
    void receive(byte[] datagram, byte[] from) {
      byte[] buf = datagram.clone();
      peer.decapsulate(buf, 0, buf.length, from, from.length, now, cipher, out);
      authenticated = out.authenticated();
      collect();
      drain();
    }

    void drain() {
      while (peer.poll(now, cipher, out)) {
        collect();
      }
    }

    private void collect() {
      switch (out.action()) {
        case SEND_TO_NETWORK ->
            outbox.add(Arrays.copyOfRange(out.buffer(), out.offset(), out.offset() + out.length()));
        case WRITE_TO_TUNNEL ->
            tunnel.add(Arrays.copyOfRange(out.buffer(), out.offset(), out.offset() + out.length()));
        case DROP -> drops.add(out.dropReason());
        case NONE -> {}
      }
    }

    Side other() {
      return this == a ? b : a;
    }

    /** Takes the oldest message this side sent off the wire. */
    byte[] take() {
      return outbox.poll();
    }
  }

  long now = 1000 * SECOND;
  final Side a;
  final Side b;

  TwoPeers() {
    this(0, 0);
  }

  TwoPeers(long keepaliveA, long keepaliveB) {
    byte[] privateA = X25519Keys.generatePrivate(new Random(1)::nextBytes);
    byte[] privateB = X25519Keys.generatePrivate(new Random(2)::nextBytes);
    a =
        new Side(
            "a",
            privateA,
            X25519Keys.publicKey(privateB),
            keepaliveA,
            new byte[] {(byte) 192, 0, 2, 1, (byte) 0xca, 0x6c},
            11);
    b =
        new Side(
            "b",
            privateB,
            X25519Keys.publicKey(privateA),
            keepaliveB,
            new byte[] {(byte) 192, 0, 2, 2, (byte) 0xca, 0x6c},
            12);
  }

  /** Delivers everything in flight, both ways, until the wire is quiet. */
  void deliverAll() {
    for (int rounds = 0; rounds < 1000; rounds++) {
      byte[] toB = a.take();
      if (toB != null) {
        b.receive(toB, a.source);
        continue;
      }
      byte[] toA = b.take();
      if (toA != null) {
        a.receive(toA, b.source);
        continue;
      }
      return;
    }
    throw new IllegalStateException("the peers never went quiet");
  }

  /** Moves the clock and lets both sides act on their timers (nothing is delivered). */
  void advance(long nanos) {
    now += nanos;
    a.drain();
    b.drain();
  }

  /** A handshake initiated by {@code a}, confirmed by a's keepalive. */
  void handshake() {
    a.peer.requestHandshake();
    a.drain();
    deliverAll();
  }

  /** A minimal IPv4 packet of {@code size} bytes whose payload bytes are {@code fill}. */
  static byte[] ipv4(int size, int fill) {
    byte[] p = new byte[size];
    Arrays.fill(p, (byte) fill);
    p[0] = 0x45;
    p[1] = 0;
    p[2] = (byte) (size >>> 8);
    p[3] = (byte) size;
    p[9] = 17;
    byte[] src = {100, 64, 0, 1};
    byte[] dst = {100, 64, 0, 2};
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(dst, 0, p, 16, 4);
    return p;
  }
}
