package io.tunnelier.agent.datapath.wireguard;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.datapath.wireguard.noise.Entropy;
import io.tunnelier.agent.datapath.wireguard.noise.SourceAddress;
import io.tunnelier.agent.datapath.wireguard.noise.StaticIdentity;
import io.tunnelier.agent.datapath.wireguard.noise.TransportCipher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The userspace WireGuard datapath of one tunnel: inner packets from a {@link PacketDevice} are
 * encrypted by the {@link Peer} core and sent through a {@link UdpSocket}; datagrams from the
 * socket are decrypted and written to the device. Three threads: receive (socket to device), send
 * (device to socket) and timers. The clock is read here, never in the core. A bad packet is dropped
 * and counted; nothing thrown from a packet loop stops it.
 */
public final class WireGuardDatapath implements Datapath {
  private static final Logger LOG = LoggerFactory.getLogger(WireGuardDatapath.class);
  private static final long MAX_TIMER_SLEEP = TimeUnit.MILLISECONDS.toNanos(100);

  /** Knobs that only tests change. */
  public record Options(long rekeyAfterTime, Entropy entropy) {
    public static Options defaults() {
      return new Options(Constants.REKEY_AFTER_TIME, Entropy.secure());
    }
  }

  private final DatapathConfig.WireGuard config;
  private final PacketDevice device;
  private final UdpSocket socket;
  private final Peer peer;
  private final long wallClockOffset;
  private final Counters counters = new Counters();
  private final List<Thread> threads = new ArrayList<>();
  private volatile InetSocketAddress endpoint;
  private volatile boolean closed;

  public WireGuardDatapath(
      DatapathConfig.WireGuard config, PacketDevice device, UdpSocket socket, Options options) {
    this.config = config;
    this.device = device;
    this.socket = socket;
    Instant wall = Instant.now();
    long mono = System.nanoTime();
    this.wallClockOffset = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - mono;
    this.peer =
        new Peer(
            new StaticIdentity(config.privateKey(), config.peerPublicKey(), config.presharedKey()),
            mtu(),
            TimeUnit.SECONDS.toNanos(config.keepaliveSeconds()),
            wallClockOffset,
            options.entropy(),
            options.rekeyAfterTime());
    this.endpoint = config.peer();
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
    return config.deviceName();
  }

  @Override
  public int mtu() {
    return config.mtu() > 0 ? config.mtu() : 1420;
  }

  /** The protocol core, for counters the generic stats do not carry. */
  public Peer peer() {
    return peer;
  }

  public int listenPort() {
    return socket.localPort();
  }

  @Override
  public DatapathStats stats() {
    long last = peer.lastHandshake();
    InetSocketAddress ep = endpoint;
    return counters.snapshot(
        last < 0 ? null : Instant.ofEpochSecond(0, last + wallClockOffset),
        ep == null ? null : ep.getAddress().getHostAddress() + ":" + ep.getPort());
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

  // ---- loops ----

  private void receiveLoop() {
    byte[] buf = new byte[Output.HEADROOM + Output.MAX_PACKET + Output.TAILROOM];
    byte[] source = new byte[SourceAddress.MAX_SIZE];
    TransportCipher cipher = new TransportCipher();
    Output out = new Output();
    while (!closed) {
      try {
        InetSocketAddress from = socket.receive(buf, 0, buf.length);
        if (from == null) {
          break;
        }
        int length = socket.lastLength();
        long now = System.nanoTime();
        int sourceLength = SourceAddress.encode(from, source);
        peer.decapsulate(buf, 0, length, source, sourceLength, now, cipher, out);
        if (out.authenticated() && !from.equals(endpoint)) {
          endpoint = from; // roaming: reply where the peer last spoke from
        }
        switch (out.action()) {
          case WRITE_TO_TUNNEL -> {
            device.write(out.buffer(), out.offset(), out.length());
            counters.rxPackets.increment();
            counters.rxBytes.add(out.length());
          }
          case SEND_TO_NETWORK -> socket.send(out.buffer(), out.offset(), out.length(), from);
          case DROP -> counters.drop(out.dropReason());
          case NONE -> {}
        }
        drain(now, cipher, out);
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          counters.drop("wg-receive-error");
          LOG.debug("receive: {}", e.toString());
        }
      }
    }
  }

  private void sendLoop() {
    byte[] buf = new byte[Output.HEADROOM + Output.MAX_PACKET + Output.TAILROOM];
    TransportCipher cipher = new TransportCipher();
    Output out = new Output();
    while (!closed) {
      try {
        int length = device.read(buf, Output.HEADROOM, Output.MAX_PACKET);
        if (length < 0) {
          break;
        }
        long now = System.nanoTime();
        peer.encapsulate(buf, Output.HEADROOM, length, now, cipher, out);
        if (out.action() == Output.Action.SEND_TO_NETWORK
            && out.buffer() == buf
            && sendToPeer(out)) {
          counters.txPackets.increment();
          counters.txBytes.add(length);
        } else {
          handle(out);
        }
        drain(now, cipher, out);
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          counters.drop("wg-send-error");
          LOG.debug("send: {}", e.toString());
        }
      }
    }
  }

  private void timerLoop() {
    TransportCipher cipher = new TransportCipher();
    Output out = new Output();
    while (!closed) {
      try {
        long now = System.nanoTime();
        drain(now, cipher, out);
        long wait = Math.min(MAX_TIMER_SLEEP, Math.max(1_000_000L, peer.nextDeadline() - now));
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        break;
      } catch (IOException | RuntimeException e) {
        counters.drop("wg-timer-error");
        LOG.debug("timers: {}", e.toString());
      }
    }
  }

  /** Sends whatever the core produced on its own (handshakes, keepalives, staged packets). */
  private void drain(long now, TransportCipher cipher, Output out) throws IOException {
    while (peer.poll(now, cipher, out)) {
      handle(out);
    }
  }

  private void handle(Output out) throws IOException {
    switch (out.action()) {
      case SEND_TO_NETWORK -> sendToPeer(out);
      case DROP -> counters.drop(out.dropReason());
      default -> {}
    }
  }

  private boolean sendToPeer(Output out) throws IOException {
    InetSocketAddress to = endpoint;
    if (to == null) {
      counters.drop("wg-no-endpoint");
      return false;
    }
    socket.send(out.buffer(), out.offset(), out.length(), to);
    return true;
  }
}
