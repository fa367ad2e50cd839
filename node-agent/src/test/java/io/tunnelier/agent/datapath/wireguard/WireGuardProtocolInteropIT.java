package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java protocol core and datapath loops against real wireguard-go peers (Debian's and the
 * current one) in network namespaces. The Java side's inner "host" is {@link EchoDevice}; the
 * wireguard-go side is a real kernel stack behind its TUN device, so pings are answered by Linux.
 *
 * <pre>
 *   ns "java" 192.0.2.1/24 (UDP 51820, inner 100.64.0.1)  ==veth==  ns "wg" 192.0.2.2/24 wg<unique> 100.64.0.2/30
 * </pre>
 */
class WireGuardProtocolInteropIT {
  static final String JAVA_UNDERLAY = "192.0.2.1";
  static final String WG_UNDERLAY = "192.0.2.2";
  static final String JAVA_INNER = "100.64.0.1";
  static final String WG_INNER = "100.64.0.2";
  static final String MAIN = WireGuardLabMain.class.getName();

  @TempDir Path dir;

  @BeforeAll
  static void requirements() {
    Lab.assumeAvailable();
    for (String tool : new String[] {"/usr/bin/wg", "/usr/bin/tcpdump", "/usr/bin/tshark"}) {
      if (!Files.isExecutable(Path.of(tool))) {
        System.err.println("[wireguard] SKIPPED: " + tool + " missing (e2e/bin/prerequisites)");
        Assumptions.assumeTrue(false, tool + " missing");
      }
    }
  }

  static java.util.List<WireGuardGo.Flavour> flavours() {
    return WireGuardGo.flavours();
  }

  static void assume(WireGuardGo.Flavour flavour) {
    if (flavour.unavailable() != null) {
      System.err.println("[wireguard] SKIPPED " + flavour + ": " + flavour.unavailable());
    }
    Assumptions.assumeTrue(flavour.unavailable() == null, flavour.unavailable());
  }

  /** One lab: both namespaces, wireguard-go running and configured, Java keys on disk. */
  final class Setup implements AutoCloseable {
    final Lab lab = Lab.create();
    final Netns java = lab.netns("java");
    final Netns wg = lab.netns("wg");
    final String dev = WireGuardGo.uniqueDevice();
    final String javaPrivate = WireGuardGo.genkey();
    final String javaPublic = WireGuardGo.pubkey(javaPrivate);
    final String wgPrivate = WireGuardGo.genkey();
    final String wgPublic = WireGuardGo.pubkey(wgPrivate);
    final Path javaKeyFile = dir.resolve("java.key");

    Setup(WireGuardGo.Flavour flavour, boolean wgKnowsEndpoint) throws Exception {
      try {
        lab.veth(java, "veth0", JAVA_UNDERLAY + "/24", wg, "veth0", WG_UNDERLAY + "/24");
        Files.writeString(javaKeyFile, javaPrivate + "\n");
        WireGuardGo.start(wg, flavour.binary(), dev, dir.resolve("wireguard-go.log").toFile());
        String conf =
            "[Interface]\nPrivateKey = "
                + wgPrivate
                + "\nListenPort = 51820\n\n[Peer]\nPublicKey = "
                + javaPublic
                + "\nAllowedIPs = "
                + JAVA_INNER
                + "/32\n"
                + (wgKnowsEndpoint ? "Endpoint = " + JAVA_UNDERLAY + ":51820\n" : "");
        WireGuardGo.setconf(wg, dev, conf, dir);
        wg.ip("addr add " + WG_INNER + "/30 dev " + dev);
        wg.ip("link set " + dev + " up");
      } catch (Exception | Error e) {
        close(); // the lab and its processes go even when setup fails half way
        throw e;
      }
    }

    JavaPeerProcess startJava(String... extra) throws Exception {
      String[] base = {
        "--private-key-file",
        javaKeyFile.toString(),
        "--peer-public-key",
        wgPublic,
        "--listen-port",
        "51820",
        "--address",
        JAVA_INNER
      };
      String[] all = new String[base.length + extra.length];
      System.arraycopy(base, 0, all, 0, base.length);
      System.arraycopy(extra, 0, all, base.length, extra.length);
      return JavaPeerProcess.start(java, dir, MAIN, all);
    }

    long wgLatestHandshake() {
      String out = wg.execOk("wg", "show", dev, "latest-handshakes").strip();
      return out.isEmpty() ? 0 : Long.parseLong(out.split("\\s+")[1]);
    }

    @Override
    public void close() {
      lab.close();
      WireGuardGo.removeSocket(dev);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flavours")
  void javaInitiatesAndPingsThroughWireguardGo(WireGuardGo.Flavour flavour) throws Exception {
    assume(flavour);
    try (Setup s = new Setup(flavour, false)) {
      JavaPeerProcess java =
          s.startJava(
              "--endpoint", WG_UNDERLAY + ":51820", "--ping", WG_INNER, "--ping-count", "5");
      Map<String, String> stats =
          java.await(Duration.ofSeconds(20), m -> JavaPeerProcess.value(m, "echoReplies") >= 5);
      System.out.println("[wireguard] " + flavour + " java-initiates: " + stats);
      assertThat(JavaPeerProcess.value(stats, "echoReplies")).isEqualTo(5);
      assertThat(JavaPeerProcess.value(stats, "initiationsSent")).isPositive();
      assertThat(JavaPeerProcess.value(stats, "responsesSent")).isZero();
      assertThat(s.wgLatestHandshake()).isPositive();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flavours")
  void wireguardGoInitiatesAndPingsJava(WireGuardGo.Flavour flavour) throws Exception {
    assume(flavour);
    try (Setup s = new Setup(flavour, true)) {
      JavaPeerProcess java = s.startJava();
      java.await(Duration.ofSeconds(10), m -> m.containsKey("rxPackets"));
      var ping =
          s.wg.exec(Duration.ofSeconds(30), "ping", "-c", "5", "-i", "0.2", "-W", "5", JAVA_INNER);
      Map<String, String> stats =
          java.await(
              Duration.ofSeconds(5), m -> JavaPeerProcess.value(m, "echoRequestsAnswered") >= 5);
      System.out.println("[wireguard] " + flavour + " wg-initiates: " + stats);
      assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
      assertThat(ping.stdout()).contains("5 received");
      assertThat(JavaPeerProcess.value(stats, "responsesSent")).isPositive();
      assertThat(JavaPeerProcess.value(stats, "initiationsSent")).isZero();
      assertThat(JavaPeerProcess.value(stats, "echoRequestsAnswered")).isEqualTo(5);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flavours")
  void rekeyAfterTimeAgainstWireguardGo(WireGuardGo.Flavour flavour) throws Exception {
    assume(flavour);
    try (Setup s = new Setup(flavour, false)) {
      // Test-only: REKEY_AFTER_TIME shortened to 3 s on the Java side; wireguard-go is unchanged.
      JavaPeerProcess java =
          s.startJava(
              "--endpoint", WG_UNDERLAY + ":51820",
              "--ping", WG_INNER,
              "--ping-count", "50",
              "--ping-interval-ms", "200",
              "--rekey-after-seconds", "3");
      Map<String, String> stats =
          java.await(Duration.ofSeconds(30), m -> JavaPeerProcess.value(m, "echoReplies") >= 48);
      System.out.println("[wireguard] " + flavour + " rekey: " + stats);
      // Rekeys are at least REKEY_TIMEOUT (5 s) apart, so ~10 s of pings see two handshakes.
      assertThat(JavaPeerProcess.value(stats, "handshakes")).isGreaterThanOrEqualTo(2);
      assertThat(JavaPeerProcess.value(stats, "initiationsSent")).isGreaterThanOrEqualTo(2);
      assertThat(JavaPeerProcess.value(stats, "echoReplies")).isGreaterThanOrEqualTo(48);
    }
  }

  @Test
  void replayedTransportPacketCapturedFromTheWireIsRejected() throws Exception {
    WireGuardGo.Flavour flavour = WireGuardGo.debian();
    assume(flavour);
    try (Setup s = new Setup(flavour, true)) {
      JavaPeerProcess java = s.startJava();
      java.await(Duration.ofSeconds(10), m -> m.containsKey("rxPackets"));
      Path pcap = dir.resolve("underlay.pcap");
      File tcpdumpLog = dir.resolve("tcpdump.log").toFile();
      Process tcpdump =
          s.java.spawn(
              tcpdumpLog, "tcpdump", "-i", "veth0", "-U", "-n", "-w", pcap.toString(), "udp");
      awaitListening(tcpdumpLog);
      s.wg.execOk("ping", "-c", "3", "-i", "0.2", "-W", "5", JAVA_INNER);
      WireGuardGo.sleep(500);
      tcpdump.destroy();
      tcpdump.waitFor();
      // tshark's own WireGuard dissector picks a data message (type 4, not a keepalive).
      String payload =
          s.java
              .execOk(
                  "tshark",
                  "-r",
                  pcap.toString(),
                  "-d",
                  "udp.port==51820,wg",
                  "-Y",
                  "wg.type == 4 && ip.src == " + WG_UNDERLAY + " && udp.length > 48",
                  "-T",
                  "fields",
                  "-e",
                  "udp.payload")
              .lines()
              .findFirst()
              .orElseThrow()
              .replace(":", "")
              .strip();
      long answered = java.stat("echoRequestsAnswered");
      String scapy =
          "from scapy.all import IP, UDP, Raw, send\n"
              + "send(IP(src='"
              + WG_UNDERLAY
              + "', dst='"
              + JAVA_UNDERLAY
              + "')"
              + "/UDP(sport=51820, dport=51820)/Raw(load=bytes.fromhex('"
              + payload
              + "')),"
              + " verbose=False)\n";
      s.wg.execOk("/usr/bin/python3", "-c", scapy);
      Map<String, String> stats =
          java.await(Duration.ofSeconds(10), m -> JavaPeerProcess.value(m, "drop.wg-replay") >= 1);
      System.out.println("[wireguard] replay: " + stats);
      assertThat(JavaPeerProcess.value(stats, "drop.wg-replay")).isEqualTo(1);
      assertThat(JavaPeerProcess.value(stats, "echoRequestsAnswered")).isEqualTo(answered);
    }
  }

  /** tcpdump says "listening on" once its capture is open; packets before that are lost. */
  static void awaitListening(File log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (log.exists() && Files.readString(log.toPath()).contains("listening on")) {
        WireGuardGo.sleep(200);
        return;
      }
      WireGuardGo.sleep(50);
    }
    throw new IllegalStateException("tcpdump did not start; see " + log);
  }

  @Test
  void floodOfInitiationsIsAnsweredWithCookieReplies() throws Exception {
    WireGuardGo.Flavour flavour = WireGuardGo.debian();
    assume(flavour);
    try (Setup s = new Setup(flavour, false)) {
      JavaPeerProcess java = s.startJava();
      java.await(Duration.ofSeconds(10), m -> m.containsKey("rxPackets"));
      Path script = dir.resolve("flood.py");
      try (var in = getClass().getResourceAsStream("/wireguard/flood_initiations.py")) {
        Files.write(script, in.readAllBytes());
      }
      String result =
          s.wg
              .execOk(
                  "/usr/bin/python3",
                  script.toString(),
                  s.javaPublic,
                  JAVA_UNDERLAY,
                  "51820",
                  "3000",
                  "5")
              .strip();
      Map<String, String> stats = java.stats();
      System.out.println("[wireguard] flood: " + result + " java: " + stats);
      long sent = Long.parseLong(result.replaceAll(".*sent=(\\d+).*", "$1"));
      long cookies = Long.parseLong(result.replaceAll(".*cookie_replies=(\\d+).*", "$1"));
      long dhAttempts =
          stats.entrySet().stream()
              .filter(e -> e.getKey().startsWith("drop.wg-handshake-"))
              .mapToLong(e -> Long.parseLong(e.getValue()))
              .sum();
      long cookiesSent = JavaPeerProcess.value(stats, "cookieRepliesSent");
      long rateLimited =
          JavaPeerProcess.value(stats, "drop." + WireGuardDrop.RATE_LIMITED.reason());
      assertThat(sent).isGreaterThan(100);
      // Of the initiations the responder saw, all but the few before load was detected got a
      // cookie reply or, past the flooder's share (a burst, then 20 per second), a drop; each of
      // those few cost one Diffie-Hellman and was then refused. (Counts, not shares of what was
      // sent: on a loaded machine UDP drops some on either side.)
      assertThat(cookies).as("cookie replies that reached the flooder").isPositive();
      assertThat(cookiesSent).isGreaterThanOrEqualTo(cookies);
      assertThat(cookiesSent)
          .as("cookie replies to one address in a 5 s flood")
          .isLessThanOrEqualTo(
              HandshakeRateLimiter.BURST + HandshakeRateLimiter.PER_SECOND * (5 + 2));
      assertThat(cookiesSent + rateLimited)
          .as("cookie replies and rate-limit drops vs Diffie-Hellman computations")
          .isGreaterThan(10 * dhAttempts);
      // The honest peer still gets through afterwards (it answers the cookie and retries).
    }
  }
}
