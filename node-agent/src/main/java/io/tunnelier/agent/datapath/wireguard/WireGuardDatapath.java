package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.net.PacketSocket;
import io.tunnelier.agent.datapath.tun.TunDevice;
import io.tunnelier.agent.datapath.wireguard.noise.Entropy;
import io.tunnelier.agent.datapath.wireguard.noise.Messages;
import io.tunnelier.agent.datapath.wireguard.noise.SourceAddress;
import io.tunnelier.agent.datapath.wireguard.noise.StaticIdentity;
import io.tunnelier.agent.datapath.wireguard.noise.TransportCipher;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The userspace WireGuard datapath of one tunnel: batches of inner packets read from a {@link
 * TunDevice} are encrypted by the {@link Peer} core and sent with one {@link PacketSocket#send};
 * batches of datagrams received from the socket are decrypted and written to the device with one
 * {@link TunDevice#write}. Threads: receive ({@link ReceivePath}), send ({@link SendPath}), each
 * with a crypto helper ({@link Splitter}), and timers. The clock is read here, never in the core. A
 * bad packet is dropped and counted; no exception leaves a packet loop.
 */
public final class WireGuardDatapath implements Datapath {
  private static final Logger LOG = LoggerFactory.getLogger(WireGuardDatapath.class);
  private static final long MAX_TIMER_SLEEP = TimeUnit.MILLISECONDS.toNanos(100);

  /** WireGuard's overhead on IPv6 underlay: 40 IPv6 + 8 UDP + 16 header + 16 tag. */
  public static final int OVERHEAD = 80;

  /** Default tunnel MTU, as wg-quick picks for a 1500-byte underlay. */
  public static final int DEFAULT_MTU = 1420;

  /**
   * Knobs; only tests change {@code rekeyAfterTime}.
   *
   * @param batch packets per TUN read / socket receive
   * @param parallel split each batch's crypto over two threads; off by default because on two cores
   *     it measured slower (-Dtunnelier.wireguard.parallel=true turns it on)
   */
  public record Options(int batch, boolean parallel, long rekeyAfterTime, Entropy entropy) {
    public static Options defaults() {
      return new Options(
          64,
          Boolean.getBoolean("tunnelier.wireguard.parallel")
              && Runtime.getRuntime().availableProcessors() >= 2,
          Constants.REKEY_AFTER_TIME,
          Entropy.secure());
    }
  }

  private final DatapathConfig.WireGuard config;
  private final TunDevice device;
  private final PacketSocket socket;
  private final HandshakeWorker handshakes;
  private final Options options;
  private final int mtu;
  private final Peer peer;
  private final long wallClockOffset;
  private final Counters counters = new Counters();
  private final List<Thread> threads = new ArrayList<>();
  private final ReceivePath receivePath;
  private final SendPath sendPath;
  private volatile Endpoint endpoint;
  private volatile boolean closed;

  /** Takes ownership of the device and the socket: {@link #close()} closes both. */
  public WireGuardDatapath(
      DatapathConfig.WireGuard config, TunDevice device, PacketSocket socket, Options options) {
    this.config = config;
    this.device = device;
    this.socket = socket;
    this.options = options;
    this.mtu = config.mtu() > 0 ? config.mtu() : DEFAULT_MTU;
    Instant wall = Instant.now();
    long mono = System.nanoTime();
    this.wallClockOffset = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - mono;
    this.peer =
        new Peer(
            new StaticIdentity(config.privateKey(), config.peerPublicKey(), config.presharedKey()),
            mtu,
            TimeUnit.SECONDS.toNanos(config.keepaliveSeconds()),
            wallClockOffset,
            options.entropy(),
            options.rekeyAfterTime());
    this.endpoint = config.peer() == null ? null : Endpoint.of(config.peer());
    if (endpoint != null) {
      // Like wg-quick with an Endpoint: bring the session up without waiting for traffic.
      peer.requestHandshake();
    }
    this.handshakes = new HandshakeWorker(this);
    this.receivePath = new ReceivePath(this, socket, options.batch(), options.parallel());
    this.sendPath = new SendPath(this, device, options.batch(), mtu, options.parallel());
    start("wg-rx-" + config.deviceName(), receivePath);
    start("wg-tx-" + config.deviceName(), sendPath);
    start("wg-timers-" + config.deviceName(), this::timerLoop);
    start("wg-handshakes-" + config.deviceName(), handshakes);
  }

  private void start(String name, Runnable loop) {
    // Threads start last in the constructor: everything they read is final by then.
    Thread thread = new Thread(loop, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  @Override
  public String deviceName() {
    return device.name();
  }

  @Override
  public int mtu() {
    return mtu;
  }

  /** The protocol core, for counters the generic stats do not carry. */
  public Peer peer() {
    return peer;
  }

  public int listenPort() {
    return socket.localEndpoint().port();
  }

  @Override
  public DatapathStats stats() {
    long last = peer.lastHandshake();
    Endpoint ep = endpoint;
    return counters.snapshot(
        last < 0 ? null : Instant.ofEpochSecond(0, last + wallClockOffset),
        ep == null ? null : ep.toString(),
        device.drops());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    socket.close();
    device.close();
    receivePath.close();
    sendPath.close();
    for (Thread thread : threads) {
      thread.interrupt();
    }
    for (Thread thread : threads) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Last: a seal or open still in flight keeps its keypair's keys until it ends.
    peer.close();
  }

  int datagramSlot() {
    return Math.max(2048, mtu + OVERHEAD);
  }

  /** The cookie's view of a source address (handshakes only: allocates). */
  static int encode(Endpoint endpoint, byte[] out) {
    return SourceAddress.encode(endpoint.inetAddress().getAddress(), endpoint.port(), out);
  }

  // ---- for the send and receive paths ----

  Counters counters() {
    return counters;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /** The peer spoke from a new address (roaming, whitepaper 2.1): answer there from now on. */
  void learnEndpoint(Endpoint from) {
    endpoint = from;
  }

  PacketSocket socket() {
    return socket;
  }

  HandshakeWorker handshakes() {
    return handshakes;
  }

  TunDevice device() {
    return device;
  }

  boolean closed() {
    return closed;
  }

  // ---- timers ----

  private void timerLoop() {
    PacketBatch toNetwork = new PacketBatch(16, 0, datagramSlot());
    TransportCipher cipher = new TransportCipher();
    Output out = new Output();
    while (!closed) {
      try {
        long now = System.nanoTime();
        toNetwork.clear();
        drain(now, cipher, out, toNetwork);
        if (toNetwork.count() > 0) {
          socket.send(toNetwork);
        }
        long wait = Math.min(MAX_TIMER_SLEEP, Math.max(1_000_000L, peer.nextDeadline() - now));
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        break;
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          counters.drop("wg-timer-error");
          LOG.atDebug()
              .setMessage("WireGuard timers failed")
              .addKeyValue("error", e.toString())
              .log();
        }
      }
    }
  }

  /**
   * Adds what the core produced on its own (handshakes, keepalives, staged packets) to {@code
   * batch}, sending full batches on the way.
   */
  void drain(long now, TransportCipher cipher, Output out, PacketBatch batch) throws IOException {
    while (peer.poll(now, cipher, out)) {
      if (out.action() == Output.Action.DROP) {
        counters.drop(out.dropReason());
        continue;
      }
      Endpoint to = endpoint;
      if (to == null) {
        counters.drop("wg-no-endpoint");
        continue;
      }
      if (batch.count() == batch.capacity()) {
        socket.send(batch);
        batch.clear();
      }
      add(batch, out, to);
      if (out.length() > Messages.TRANSPORT_MIN_SIZE
          && Messages.type(out.buffer(), out.offset()) == Messages.TYPE_TRANSPORT) {
        // A packet staged while no session existed (its padded length).
        counters.txPackets.increment();
        counters.txBytes.add(out.length() - Messages.TRANSPORT_MIN_SIZE);
      }
    }
  }

  /** Copies the output's bytes into the next slot of {@code batch}, bound for {@code to}. */
  private static void add(PacketBatch batch, Output out, Endpoint to) {
    int j = batch.add(out.length());
    if (j < 0) {
      return;
    }
    batch.buffer().put(batch.offset(j), out.buffer(), out.offset(), out.length());
    batch.setDestination(j, to);
  }
}
