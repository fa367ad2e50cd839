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
import io.tunnelier.agent.datapath.wireguard.noise.StaticIdentity;
import io.tunnelier.agent.datapath.wireguard.noise.TransportCipher;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * {@link TunDevice#write}. Three threads: receive (socket to device), send (device to socket) and
 * timers; the send and receive directions encrypt and decrypt in parallel. The clock is read here,
 * never in the core. A bad packet is dropped and counted; no exception leaves a packet loop.
 */
public final class WireGuardDatapath implements Datapath {
  private static final Logger LOG = LoggerFactory.getLogger(WireGuardDatapath.class);
  private static final long MAX_TIMER_SLEEP = TimeUnit.MILLISECONDS.toNanos(100);

  /** WireGuard's overhead on IPv6 underlay: 40 IPv6 + 8 UDP + 16 header + 16 tag. */
  public static final int OVERHEAD = 80;

  /** Default tunnel MTU, as wg-quick picks for a 1500-byte underlay. */
  public static final int DEFAULT_MTU = 1420;

  /** Knobs that only tests change. */
  public record Options(int batch, long rekeyAfterTime, Entropy entropy) {
    public static Options defaults() {
      return new Options(64, Constants.REKEY_AFTER_TIME, Entropy.secure());
    }
  }

  private final DatapathConfig.WireGuard config;
  private final TunDevice device;
  private final PacketSocket socket;
  private final Options options;
  private final int mtu;
  private final Peer peer;
  private final long wallClockOffset;
  private final Counters counters = new Counters();
  private final List<Thread> threads = new ArrayList<>();
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
    start("wg-rx-" + config.deviceName(), this::receiveLoop);
    start("wg-tx-" + config.deviceName(), this::sendLoop);
    start("wg-timers-" + config.deviceName(), this::timerLoop);
  }

  private void start(String name, Runnable loop) {
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
        ep == null ? null : ep.toString());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    socket.close();
    device.close();
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
  }

  private int datagramSlot() {
    return Math.max(2048, mtu + OVERHEAD);
  }

  // ---- receive: socket -> core -> device ----

  private void receiveLoop() {
    PacketBatch in = new PacketBatch(options.batch(), 0, datagramSlot());
    PacketBatch toDevice =
        new PacketBatch(options.batch(), PacketBatch.DEFAULT_HEADROOM, datagramSlot());
    PacketBatch replies = new PacketBatch(options.batch(), 0, datagramSlot());
    byte[] work = new byte[Output.HEADROOM + Output.MAX_PACKET + Output.TAILROOM];
    byte[] source = new byte[18];
    TransportCipher cipher = new TransportCipher();
    Output out = new Output();
    while (!closed) {
      try {
        int n = socket.receive(in);
        if (n < 0) {
          break;
        }
        long now = System.nanoTime();
        toDevice.clear();
        replies.clear();
        ByteBuffer buf = in.buffer();
        for (int i = 0; i < n; i++) {
          int length = in.length(i);
          if (length == 0) {
            counters.drop("wg-truncated");
            continue;
          }
          buf.get(in.offset(i), work, 0, length);
          int sourceLength = 0;
          Endpoint from = null;
          int type = work[0];
          if (type == Messages.TYPE_INITIATION || type == Messages.TYPE_RESPONSE) {
            // Handshakes are rare: materialise the source for the cookie and the reply.
            from = in.source(i);
            sourceLength = encode(from, source);
          }
          peer.decapsulate(work, 0, length, source, sourceLength, now, cipher, out);
          Endpoint current = endpoint;
          if (out.authenticated() && (current == null || !in.sourceMatches(i, current, true))) {
            endpoint = from != null ? from : in.source(i); // roaming (whitepaper 2.1)
          }
          switch (out.action()) {
            case WRITE_TO_TUNNEL -> {
              add(toDevice, out, null);
              counters.rxPackets.increment();
              counters.rxBytes.add(out.length());
            }
            case SEND_TO_NETWORK -> add(replies, out, from != null ? from : in.source(i));
            case DROP -> counters.drop(out.dropReason());
            case NONE -> {}
          }
        }
        if (toDevice.count() > 0) {
          device.write(toDevice);
        }
        drain(now, cipher, out, replies);
        if (replies.count() > 0) {
          socket.send(replies);
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          counters.drop("wg-receive-error");
          LOG.debug("receive: {}", e.toString());
        }
      }
    }
  }

  private static int encode(Endpoint endpoint, byte[] out) {
    byte[] ip = endpoint.inetAddress().getAddress();
    System.arraycopy(ip, 0, out, 0, ip.length);
    out[ip.length] = (byte) (endpoint.port() >>> 8);
    out[ip.length + 1] = (byte) endpoint.port();
    return ip.length + 2;
  }

  // ---- send: device -> core -> socket ----

  private void sendLoop() {
    PacketBatch in = new PacketBatch(options.batch(), PacketBatch.DEFAULT_HEADROOM, mtu + 64);
    PacketBatch toNetwork = new PacketBatch(options.batch() * 2, 0, datagramSlot());
    byte[] work = new byte[Output.HEADROOM + Output.MAX_PACKET + Output.TAILROOM];
    TransportCipher cipher = new TransportCipher();
    Output out = new Output();
    while (!closed) {
      try {
        int n = device.read(in);
        if (n < 0) {
          break;
        }
        long now = System.nanoTime();
        toNetwork.clear();
        Endpoint to = endpoint;
        ByteBuffer buf = in.buffer();
        for (int i = 0; i < n; i++) {
          int length = in.length(i);
          if (length > Output.MAX_PACKET) {
            counters.drop(Peer.DROP_TOO_BIG);
            continue;
          }
          buf.get(in.offset(i), work, Output.HEADROOM, length);
          peer.encapsulate(work, Output.HEADROOM, length, now, cipher, out);
          if (out.action() == Output.Action.SEND_TO_NETWORK) {
            if (to == null) {
              counters.drop("wg-no-endpoint");
              continue;
            }
            add(toNetwork, out, to);
            if (out.buffer() == work) {
              counters.txPackets.increment();
              counters.txBytes.add(length);
            }
          } else if (out.action() == Output.Action.DROP) {
            counters.drop(out.dropReason());
          }
        }
        drain(now, cipher, out, toNetwork);
        if (toNetwork.count() > 0) {
          socket.send(toNetwork);
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          counters.drop("wg-send-error");
          LOG.debug("send: {}", e.toString());
        }
      }
    }
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
          LOG.debug("timers: {}", e.toString());
        }
      }
    }
  }

  /**
   * Adds what the core produced on its own (handshakes, keepalives, staged packets) to {@code
   * batch}, sending full batches on the way.
   */
  private void drain(long now, TransportCipher cipher, Output out, PacketBatch batch)
      throws IOException {
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
