package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 5, MTU: the path limit a selected pod sees is the Tunnel's {@code status.mtu} (and, for
 * a pod on a member node, the VXLAN hop's MTU from that node's status entry, if smaller). A DF ping
 * of exactly that size passes through the tunnel; one byte more gets "fragmentation needed" with
 * the limit in it; a 50 MB TCP transfer from each selected pod to the internet host arrives whole.
 */
@ExtendWith(ControlPlaneExtension.class)
class PathMtuIT {
  private static final int IP_ICMP_HEADERS = 28;
  private static final int TRANSFER_BYTES = 50 * 1024 * 1024;
  private static final int SINK_PORT = 9000;
  private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(180);
  private static final Pattern REPORTED_MTU = Pattern.compile("mtu ?= ?(\\d+)");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"egress-gre.yaml", "egress-wireguard.yaml"})
  void pathLimitAndA50MbTransfer(String example, ControlPlane controlPlane) throws IOException {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("scraping");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var onMember = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      String name = cluster.applyExample(example, ns).getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);
      for (var pod : List.of(onGateway, onMember)) {
        Scenarios.await(
            cluster,
            pod.name() + " leaves through the VPS",
            Duration.ofSeconds(120),
            () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(pod.ns())));
      }
      Scenarios.await(
          cluster,
          "the Tunnel is Ready with its MTU and the member's hop MTU",
          Duration.ofSeconds(90),
          () -> {
            Tunnel t = cluster.tunnel(ns, name);
            return Scenarios.conditionTrue(t, "Ready")
                && t.getStatus().getMtu() != null
                && Scenarios.entry(t, "node-b") != null
                && Scenarios.entry(t, "node-b").getMtu() != null;
          });
      Tunnel ready = cluster.tunnel(ns, name);
      int tunnelMtu = ready.getStatus().getMtu();
      int hopMtu = Scenarios.entry(ready, "node-b").getMtu();
      int memberLimit = Math.min(tunnelMtu, hopMtu);
      System.out.printf(
          "[mtu %s] status.mtu %d; node-b's VXLAN hop %d: path limit %d from the gateway's pod,"
              + " %d from the member's%n",
          example, tunnelMtu, hopMtu, tunnelMtu, memberLimit);

      checkDfPings(example, onGateway.name(), onGateway.ns(), tunnelMtu);
      checkDfPings(example, onMember.name(), onMember.ns(), memberLimit);

      Path payload = lab.workDir().resolve("payload.bin");
      String sent = writeRandom(payload, TRANSFER_BYTES);
      for (var pod : List.of(onGateway, onMember)) {
        transfer(example, lab, pod.name(), pod.ns(), payload, sent);
      }
    }
  }

  /** A DF ping at the limit passes; one byte over gets "fragmentation needed" naming the limit. */
  static void checkDfPings(String example, String pod, Netns ns, int limit) {
    checkDfPings(example, pod, ns, ClusterLab.WEB_ADDRESS, limit);
  }

  /**
   * The same towards {@code destination} of either family: IPv6 (40-byte header) answers one byte
   * over with ICMPv6 Packet Too Big ("Packet too big: mtu=N"), IPv4 with "Frag needed".
   */
  static void checkDfPings(String example, String pod, Netns ns, String destination, int limit) {
    int headers = destination.contains(":") ? IP_ICMP_HEADERS + 20 : IP_ICMP_HEADERS;
    Exec.Result fits = ping(ns, destination, limit - headers);
    assertThat(fits.exitCode())
        .as("%s: DF ping of %d bytes (the path limit)\n%s", pod, limit, fits.stdout())
        .isZero();
    Exec.Result over = ping(ns, destination, limit - headers + 1);
    String output = over.stdout() + over.stderr();
    assertThat(over.exitCode())
        .as("%s: DF ping of %d bytes (one over)\n%s", pod, limit + 1, output)
        .isNotZero();
    assertThat(output)
        .as("%s: one byte over the limit", pod)
        .containsAnyOf("Frag needed", "message too long", "Packet too big");
    Matcher m = REPORTED_MTU.matcher(output);
    assertThat(m.find()).as("%s: the MTU in ping's output\n%s", pod, output).isTrue();
    assertThat(Integer.parseInt(m.group(1)))
        .as("%s: the MTU the ICMP error names", pod)
        .isEqualTo(limit);
    System.out.printf(
        "[mtu %s] %s: DF ping %d B passes; %d B: %s%n",
        example, pod, limit, limit + 1, firstLineWith(output, "mtu"));
  }

  private static Exec.Result ping(Netns ns, String destination, int payload) {
    return ns.exec(
        Duration.ofSeconds(20),
        "ping",
        "-n",
        "-M",
        "do",
        "-c",
        "3",
        "-i",
        "0.3",
        "-W",
        "3",
        "-s",
        String.valueOf(payload),
        destination);
  }

  /**
   * Sends {@code payload} from a pod to a sink on the internet host; the sink records the sender's
   * address and the SHA-256 of what it received.
   */
  private static void transfer(
      String example, ClusterLab lab, String pod, Netns ns, Path payload, String sent) {
    Path received = lab.workDir().resolve("sink-" + pod + ".sha256");
    Path peer = lab.workDir().resolve("sink-" + pod + ".peer");
    Process sink =
        lab.web()
            .spawn(
                lab.workDir().resolve("sink-" + pod + ".log").toFile(),
                "timeout",
                String.valueOf(TRANSFER_TIMEOUT.toSeconds()),
                "socat",
                "-u",
                "TCP-LISTEN:" + SINK_PORT + ",bind=" + ClusterLab.WEB_ADDRESS + ",reuseaddr",
                "SYSTEM:echo $SOCAT_PEERADDR > " + peer + "; sha256sum > " + received);
    awaitListening(lab.web());
    long start = System.nanoTime();
    Exec.Result send =
        ns.exec(
            TRANSFER_TIMEOUT.plusSeconds(10),
            "timeout",
            String.valueOf(TRANSFER_TIMEOUT.toSeconds()),
            "socat",
            "-u",
            "OPEN:" + payload + ",rdonly",
            "TCP:" + ClusterLab.WEB_ADDRESS + ":" + SINK_PORT);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(send.exitCode()).as("%s: sender exit\n%s", pod, send.stderr()).isZero();
    try {
      assertThat(sink.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
          .as("%s: the sink finished", pod)
          .isTrue();
      String sum = Files.readString(received).split("\\s+")[0];
      String from = Files.readString(peer).strip();
      assertThat(from)
          .as("%s: the sender the internet host saw", pod)
          .isEqualTo(ClusterLab.VPS_ADDRESS);
      assertThat(sum).as("%s: SHA-256 of the 50 MB received", pod).isEqualTo(sent);
      System.out.printf(
          "[mtu %s] %s: %d MB to the web host through the VPS in %.2f s (%.0f Mbit/s), SHA-256"
              + " matches%n",
          example, pod, TRANSFER_BYTES >> 20, seconds, TRANSFER_BYTES * 8 / seconds / 1e6);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      sink.destroyForcibly();
    }
  }

  private static void awaitListening(Netns web) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (web.exec("ss", "-Hltn", "sport = :" + SINK_PORT).stdout().contains(":" + SINK_PORT)) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("the sink on the web host did not start listening");
  }

  /** Writes {@code bytes} of pseudo-random data and returns their SHA-256 (hex). */
  private static String writeRandom(Path file, int bytes) throws IOException {
    Random random = new Random(42);
    byte[] chunk = new byte[1 << 20];
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (var out = Files.newOutputStream(file)) {
      for (int written = 0; written < bytes; written += chunk.length) {
        random.nextBytes(chunk);
        int n = Math.min(chunk.length, bytes - written);
        out.write(chunk, 0, n);
        sha256.update(chunk, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static String firstLineWith(String text, String word) {
    for (String line : text.split("\n")) {
      if (line.contains(word)) {
        return line.strip();
      }
    }
    return text.strip();
  }
}
