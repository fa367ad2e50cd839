package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.datapath.wireguard.noise.CookieGenerator;
import io.tunnelier.agent.datapath.wireguard.noise.Messages;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A VPS's WireGuard port under a handshake flood from the internet, in the worst case: the stranger
 * knows the VPS's public key, so every initiation carries a valid MAC1 and cannot be dropped for
 * free. While it floods for {@link #SECONDS} s, the tunnel's own TCP throughput (iperf3 through the
 * tunnel) is measured, alternating with runs without the flood in the same test, and both are
 * printed with their ratio: a measurement, not asserted. Asserted: the flood was met with cookies
 * and drops, not Diffie-Hellman, and the tunnel carried data throughout.
 *
 * <p>Lab: "node" 192.0.2.1 (inner 100.64.0.1) and "vps" 192.0.2.2 (inner 100.64.0.2) run the real
 * datapaths in this JVM; "stranger" 198.51.100.1 floods 198.51.100.2:51820 from a thread of this
 * JVM. Rounds: {@code -Dflood.rounds} (default 1).
 */
class HandshakeFloodIT {
  static final int SECONDS = 10;

  /** An upper bound on what the stranger sends, whatever the machine's speed. */
  static final long MAX_DATAGRAMS = 20_000_000L;

  @BeforeAll
  static void needsLab() {
    Lab.assumeAvailable();
  }

  @Test
  void dataKeepsFlowingDuringAnInitiationFlood() throws Exception {
    assertThat(Path.of("/usr/bin/iperf3")).as("iperf3 (e2e/bin/prerequisites)").exists();
    int rounds = Integer.getInteger("flood.rounds", 1);
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      Netns vps = lab.netns("vps");
      Netns stranger = lab.netns("stranger");
      lab.veth(node, "eth0", "192.0.2.1/24", vps, "eth0", "192.0.2.2/24");
      lab.veth(stranger, "eth0", "198.51.100.1/24", vps, "eth1", "198.51.100.2/24");
      try (WireGuardLabPair pair = WireGuardLabPair.open(node, vps)) {
        Datapath v = pair.vps();
        byte[] vpsPublic = pair.vpsPublicKey();
        Exec.Result ping =
            node.exec(
                Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "3", "100.64.0.2");
        assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
        Process server = vps.spawn(null, "iperf3", "-s", "-B", "100.64.0.2");
        try {
          List<Double> quiet = new ArrayList<>();
          List<Double> flooded = new ArrayList<>();
          long sent = 0;
          for (int r = 0; r < rounds; r++) {
            quiet.add(throughput(node));
            Flood flood = Flood.start(stranger, vpsPublic);
            try {
              flooded.add(throughput(node));
            } finally {
              sent += flood.stop();
            }
          }
          Map<String, Long> drops = v.stats().drops();
          System.out.printf(
              "[handshake flood] %d round(s) of %d s: without flood %s Mbit/s, during the flood %s"
                  + " Mbit/s, median ratio %.2f; the stranger sent %d MAC1-valid initiations"
                  + " (%.0f/s); VPS: %s%n",
              rounds,
              SECONDS,
              quiet,
              flooded,
              median(flooded) / median(quiet),
              sent,
              sent / (double) (rounds * SECONDS),
              v.stats());
          assertThat(sent).isPositive();
          assertThat(flooded).allMatch(mbits -> mbits > 0);
          // The flood met cookies (under load) and drops, not one completed handshake.
          assertThat(((WireGuardDatapath) v).peer().cookieRepliesSent()).isPositive();
          assertThat(v.stats().peerEndpoint()).startsWith("192.0.2.1:");
          assertThat(drops).doesNotContainKey("wg-receive-error");
        } finally {
          server.destroy();
          server.waitFor();
        }
      }
    }
  }

  /** iperf3 node -> VPS through the tunnel for {@link #SECONDS} s: received Mbit/s. */
  private static double throughput(Netns node) throws Exception {
    Exec.Result r =
        node.exec(
            Duration.ofSeconds(SECONDS + 30),
            "iperf3",
            "-c",
            "100.64.0.2",
            "-t",
            String.valueOf(SECONDS),
            "-J");
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.stdout());
    return Math.round(json.at("/end/sum_received/bits_per_second").asDouble() / 1e4) / 100.0;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int m = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
  }

  /** A thread in the stranger's namespace sending MAC1-valid initiations as fast as it can. */
  private record Flood(AtomicBoolean stopping, CompletableFuture<Long> sent) {
    static Flood start(Netns stranger, byte[] vpsPublic) {
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Long> sent = new CompletableFuture<>();
      Thread t =
          new Thread(
              () -> {
                try {
                  sent.complete(InNetns.call(stranger, () -> send(vpsPublic, stop)));
                } catch (Throwable e) {
                  sent.completeExceptionally(e);
                }
              },
              "handshake-flood");
      t.setDaemon(true);
      t.start();
      return new Flood(stop, sent);
    }

    long stop() throws Exception {
      stopping.set(true);
      return sent.get(SECONDS + 20L, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static long send(byte[] vpsPublic, AtomicBoolean stop) throws Exception {
      // 64 different initiations: random bodies (they would fail the handshake), valid MAC1s.
      SecureRandom random = new SecureRandom();
      CookieGenerator macs = new CookieGenerator(vpsPublic);
      List<ByteBuffer> messages = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        byte[] m = new byte[Messages.INITIATION_SIZE];
        random.nextBytes(m);
        m[0] = Messages.TYPE_INITIATION;
        m[1] = 0;
        m[2] = 0;
        m[3] = 0;
        macs.addMacs(m, 0, m.length, System.nanoTime());
        messages.add(ByteBuffer.wrap(m));
      }
      long sent = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(SECONDS + 5).toNanos();
      try (DatagramChannel ch = DatagramChannel.open()) {
        ch.connect(new InetSocketAddress("198.51.100.2", 51820));
        while (!stop.get() && sent < MAX_DATAGRAMS && System.nanoTime() < deadline) {
          ByteBuffer b = messages.get((int) (sent & 63));
          b.rewind();
          try {
            ch.write(b);
          } catch (java.net.PortUnreachableException e) {
            // an ICMP error from an earlier datagram: keep sending
          }
          sent++;
        }
      }
      return sent;
    }
  }
}
