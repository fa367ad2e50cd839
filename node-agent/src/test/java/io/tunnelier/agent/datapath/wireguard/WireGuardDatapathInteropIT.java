package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole userspace datapath (TUN device, batched UDP socket, protocol core) in its own process
 * ({@link WireGuardMain}) against wireguard-go, Debian's and the current one, in namespaces: each
 * side initiates in turn; ping and a 100 MB TCP transfer whose SHA-256 must match pass both ways.
 *
 * <pre>
 *   ns "java" 192.0.2.1/24, wgj0 100.64.0.1/30  ==veth==  ns "wg" 192.0.2.2/24, wg<unique> 100.64.0.2/30
 * </pre>
 */
class WireGuardDatapathInteropIT {
  static final String JAVA_UNDERLAY = "192.0.2.1";
  static final String WG_UNDERLAY = "192.0.2.2";
  static final String JAVA_INNER = "100.64.0.1";
  static final String WG_INNER = "100.64.0.2";
  static final long TRANSFER_BYTES = 100L * 1000 * 1000;

  @TempDir static Path shared;
  @TempDir Path dir;
  static Path data;
  static String dataSha256;

  @BeforeAll
  static void requirements() throws Exception {
    Lab.assumeAvailable();
    for (String tool : new String[] {"/usr/bin/wg", "/usr/bin/socat"}) {
      if (!Files.isExecutable(Path.of(tool))) {
        System.err.println("[wireguard] SKIPPED: " + tool + " missing (e2e/bin/prerequisites)");
        Assumptions.assumeTrue(false, tool + " missing");
      }
    }
    if (!Files.exists(Path.of("/dev/net/tun"))) {
      System.err.println("[wireguard] SKIPPED: /dev/net/tun missing");
      Assumptions.assumeTrue(false, "/dev/net/tun missing");
    }
    data = shared.resolve("payload.bin");
    Exec.run(
            Duration.ofSeconds(60),
            List.of("bash", "-c", "head -c " + TRANSFER_BYTES + " /dev/urandom > " + data))
        .orThrow();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(data)) {
      byte[] chunk = new byte[1 << 16];
      for (int n; (n = in.read(chunk)) > 0; ) {
        sha.update(chunk, 0, n);
      }
    }
    dataSha256 = HexFormat.of().formatHex(sha.digest());
  }

  static List<WireGuardGo.Flavour> flavours() {
    return WireGuardGo.flavours();
  }

  /** Both namespaces, wireguard-go up and configured, the Java datapath process running. */
  final class Setup implements AutoCloseable {
    final Lab lab = Lab.create();
    final Netns java = lab.netns("java");
    final Netns wg = lab.netns("wg");
    final String dev = WireGuardGo.uniqueDevice();
    final String javaPrivate = WireGuardGo.genkey();
    final String javaPublic = WireGuardGo.pubkey(javaPrivate);
    final String wgPrivate = WireGuardGo.genkey();
    final String wgPublic = WireGuardGo.pubkey(wgPrivate);
    final JavaPeerProcess javaPeer;

    Setup(WireGuardGo.Flavour flavour, boolean javaInitiates) throws Exception {
      try {
        lab.veth(java, "veth0", JAVA_UNDERLAY + "/24", wg, "veth0", WG_UNDERLAY + "/24");
        WireGuardGo.start(wg, flavour.binary(), dev, dir.resolve("wireguard-go.log").toFile());
        String conf =
            "[Interface]\nPrivateKey = "
                + wgPrivate
                + "\nListenPort = 51820\n\n[Peer]\nPublicKey = "
                + javaPublic
                + "\nAllowedIPs = "
                + JAVA_INNER
                + "/32\n"
                + (javaInitiates ? "" : "Endpoint = " + JAVA_UNDERLAY + ":51820\n");
        WireGuardGo.setconf(wg, dev, conf, dir);
        wg.ip("addr add " + WG_INNER + "/30 dev " + dev);
        wg.ip("link set " + dev + " mtu 1420 up");

        Path key = dir.resolve("java.key");
        Files.writeString(key, javaPrivate + "\n");
        String[] args = {
          "--device", "wgj0",
          "--private-key-file", key.toString(),
          "--peer-public-key", wgPublic,
          "--listen-port", "51820",
          "--datapath", "userspace",
          "--mtu", "1420"
        };
        if (javaInitiates) {
          args = concat(args, "--endpoint", WG_UNDERLAY + ":51820");
        }
        javaPeer = JavaPeerProcess.start(java, dir, WireGuardMain.class.getName(), args);
        javaPeer.await(Duration.ofSeconds(20), m -> m.containsKey("device"));
        java.ip("addr add " + JAVA_INNER + "/30 dev wgj0");
      } catch (Exception | Error e) {
        close(); // the lab and its processes go even when setup fails half way
        throw e;
      }
    }

    @Override
    public void close() {
      lab.close();
      WireGuardGo.removeSocket(dev);
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  static void assume(WireGuardGo.Flavour flavour) {
    if (flavour.unavailable() != null) {
      System.err.println("[wireguard] SKIPPED " + flavour + ": " + flavour.unavailable());
    }
    Assumptions.assumeTrue(flavour.unavailable() == null, flavour.unavailable());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flavours")
  void javaInitiatesThenPingAndTransferBothWays(WireGuardGo.Flavour flavour) throws Exception {
    assume(flavour);
    try (Setup s = new Setup(flavour, true)) {
      ping(s.java, WG_INNER);
      ping(s.wg, JAVA_INNER);
      transfer(s.java, s.wg, WG_INNER);
      transfer(s.wg, s.java, JAVA_INNER);
      Map<String, String> stats = s.javaPeer.stats();
      System.out.println("[wireguard] " + flavour + " java-initiates datapath: " + stats);
      assertThat(JavaPeerProcess.value(stats, "initiationsSent")).isPositive();
      assertThat(JavaPeerProcess.value(stats, "responsesSent")).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flavours")
  void wireguardGoInitiatesThenPingAndTransferBothWays(WireGuardGo.Flavour flavour)
      throws Exception {
    assume(flavour);
    try (Setup s = new Setup(flavour, false)) {
      ping(s.wg, JAVA_INNER);
      ping(s.java, WG_INNER);
      transfer(s.wg, s.java, JAVA_INNER);
      transfer(s.java, s.wg, WG_INNER);
      Map<String, String> stats = s.javaPeer.stats();
      System.out.println("[wireguard] " + flavour + " wg-initiates datapath: " + stats);
      // wireguard-go's initiation was answered. (The Java side may also have tried to initiate
      // for a packet the kernel routed into wgj0 before that, but had no endpoint to send to.)
      assertThat(JavaPeerProcess.value(stats, "responsesSent")).isPositive();
    }
  }

  static void ping(Netns from, String to) {
    Exec.Result r =
        from.exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "5", to);
    assertThat(r.exitCode()).as(from + " ping " + to + ": " + r.stdout() + r.stderr()).isZero();
  }

  /** Sends the payload over TCP from one namespace to the other; the SHA-256 must match. */
  void transfer(Netns from, Netns to, String toAddress) throws Exception {
    Path hash = dir.resolve("received-" + to.name() + ".sha256");
    File log = dir.resolve("socat-" + to.name() + ".log").toFile();
    Process receiver =
        to.spawn(
            log, "bash", "-c", "socat -u TCP-LISTEN:5001,reuseaddr STDOUT | sha256sum > " + hash);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!to.exec("ss", "-ltnH", "sport = :5001").stdout().contains("5001")) {
      assertThat(System.nanoTime()).as("receiver listening").isLessThan(deadline);
      WireGuardGo.sleep(50);
    }
    long start = System.nanoTime();
    Exec.Result sent =
        from.exec(
            Duration.ofSeconds(180), "socat", "-u", "FILE:" + data, "TCP:" + toAddress + ":5001");
    assertThat(sent.exitCode()).as("socat send: " + sent.stderr()).isZero();
    assertThat(receiver.waitFor(60, TimeUnit.SECONDS)).as("receiver finished").isTrue();
    double seconds = (System.nanoTime() - start) / 1e9;
    String received = Files.readString(hash).split("\\s+")[0];
    System.out.printf(
        "[wireguard] 100 MB %s -> %s in %.1f s (%.0f Mbit/s)%n",
        from.name(), to.name(), seconds, TRANSFER_BYTES * 8 / seconds / 1e6);
    assertThat(received).isEqualTo(dataSha256);
  }
}
