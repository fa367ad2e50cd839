package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The datapath against implementations nobody here wrote: tshark's dissectors read what it sends,
 * scapy crafts what it receives.
 */
class GreInteropIT {
  private static final String PYTHON = "/usr/bin/python3"; // the one that sees Debian's scapy
  private static Path dir;

  @BeforeAll
  static void prepare() throws Exception {
    Lab.assumeAvailable();
    dir = Files.createTempDirectory("gre-interop");
  }

  @org.junit.jupiter.api.AfterAll
  static void cleanUp() throws Exception {
    GreProcess.deleteRecursively(dir);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"raw,''", "udp,''", "raw,'sequence,checksum'", "udp,'sequence,checksum'"})
  void tsharkDissectsOurPacketsAsGreWithTheKeyAndValidChecksums(String mode, String options)
      throws Exception {
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      Netns vps = lab.netns("vps");
      lab.veth(node, "eth0", "192.0.2.1/24", vps, "eth0", "192.0.2.2/24");
      String extra = options.isEmpty() ? "" : "," + options;
      GreProcess.start(
          vps,
          dir,
          List.of(
              "device=tnl0,mode="
                  + mode
                  + ",local=192.0.2.2,key=4242,address=100.64.0.2/30"
                  + extra));
      GreProcess.start(
          node,
          dir,
          List.of(
              "device=tnl0,mode="
                  + mode
                  + ",local=192.0.2.1,peer=192.0.2.2,key=4242,"
                  + "address=100.64.0.1/30"
                  + extra));

      Path pcap = dir.resolve("capture-" + mode + options.length() + ".pcap");
      Path tsharkLog = dir.resolve("tshark-" + mode + options.length() + ".log");
      Files.deleteIfExists(pcap);
      Files.deleteIfExists(tsharkLog);
      Process capture =
          vps.spawn(
              tsharkLog.toFile(),
              "tshark",
              "-i",
              "eth0",
              "-f",
              mode.equals("udp") ? "udp port 4754" : "ip proto 47",
              "-a",
              "duration:10",
              "-w",
              pcap.toString());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!(Files.exists(tsharkLog) && Files.readString(tsharkLog).contains("Capturing on"))) {
        assertThat(System.nanoTime()).as("tshark started").isLessThan(deadline);
        Thread.sleep(100);
      }
      Thread.sleep(2000); // "Capturing on" comes a moment before dumpcap really captures
      Exec.Result ping =
          node.exec(
              Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.3", "-W", "3", "100.64.0.2");
      assertThat(ping.exitCode()).as(ping.stdout()).isZero();
      // The capture ends by itself after 10 s, its file complete.
      assertThat(capture.waitFor(30, TimeUnit.SECONDS)).isTrue();

      Exec.Result fields =
          vps.exec(
              Duration.ofSeconds(60),
              "tshark",
              "-r",
              pcap.toString(),
              "-o",
              "ip.check_checksum:TRUE",
              "-o",
              "udp.check_checksum:FALSE",
              "-Y",
              "icmp",
              "-T",
              "fields",
              "-E",
              "separator=|",
              "-E",
              "aggregator=,",
              "-e",
              "ip.src",
              "-e",
              "ip.checksum.status",
              "-e",
              "gre.key",
              "-e",
              "gre.proto",
              "-e",
              "gre.sequence_number",
              "-e",
              "gre.checksum.status",
              "-e",
              "icmp.type");
      assertThat(fields.exitCode()).as(fields.stderr()).isZero();
      List<String> lines = fields.stdout().lines().filter(l -> !l.isBlank()).toList();
      System.out.println("[tshark " + mode + " " + options + "]\n  " + String.join("\n  ", lines));
      assertThat(lines).hasSize(6);
      for (String line : lines) {
        String[] f = line.split("\\|", -1);
        assertThat(f[0])
            .as("outer / inner source")
            .matches("192\\.0\\.2\\.[12],100\\.64\\.0\\.[12]");
        assertThat(f[1]).as("outer and inner IPv4 header checksums good").isEqualTo("1,1");
        assertThat(Long.decode(f[2])).as("GRE key").isEqualTo(4242L);
        assertThat(f[3]).as("protocol type IPv4").isEqualTo("0x0800");
        if (options.isEmpty()) {
          assertThat(f[4]).isEmpty();
          assertThat(f[5]).isEmpty();
        } else {
          assertThat(f[4]).as("sequence number").matches("\\d+");
          assertThat(f[5]).as("GRE checksum good").isEqualTo("1");
        }
        assertThat(f[6]).isIn("0", "8");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"raw", "udp"})
  void scapyCraftedGreIsDeliveredMalformedIsCountedAndEchoIsAnswered(String mode) throws Exception {
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      Netns peer = lab.netns("peer");
      lab.veth(node, "eth0", "192.0.2.1/24", peer, "eth0", "192.0.2.2/24");
      boolean udp = mode.equals("udp");
      DatapathConfig.Gre config =
          new DatapathConfig.Gre(
              "tnl0",
              0,
              udp,
              new InetSocketAddress("192.0.2.1", 0),
              0,
              new InetSocketAddress("192.0.2.2", 0),
              4242L,
              false,
              false);
      // The datapath runs in this JVM, its descriptors opened inside the node namespace.
      UserspaceGreDatapathFactory factory = new UserspaceGreDatapathFactory();
      try (Datapath datapath = InNetns.call(node, () -> factory.open(config))) {
        node.ip("addr add 100.64.0.1/30 dev tnl0");
        Path received = dir.resolve("received-" + mode + ".txt");
        Files.deleteIfExists(received);
        node.spawn(
            null,
            "socat",
            "-u",
            "UDP-RECV:9999,bind=100.64.0.1",
            "OPEN:" + received + ",creat,append");
        Thread.sleep(300);

        Path script = dir.resolve("scapy_gre_peer.py");
        try (InputStream in = getClass().getResourceAsStream("scapy_gre_peer.py")) {
          Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Exec.Result scapy =
            peer.exec(Duration.ofSeconds(90), PYTHON, script.toString(), mode, "4242");
        assertThat(scapy.exitCode()).as(scapy.stderr()).isZero();
        String json = scapy.stdout().strip();
        System.out.println("[scapy " + mode + "] " + json + "\n  stats: " + datapath.stats());

        // The echo request was decapsulated, answered by the node's kernel, and the answer came
        // back as GRE with our key, as scapy reads it.
        assertThat(json)
            .contains(
                "\"version\": 0",
                "\"key\": 4242",
                "\"proto\": 2048",
                "\"inner_src\": \"100.64.0.1\"",
                "\"inner_dst\": \"100.64.0.2\"",
                "\"icmp_type\": 0",
                "\"icmp_id\": 77");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(received)
            && Files.readString(received).split("hello-from-scapy", -1).length == 3)) {
          assertThat(System.nanoTime()).as("both good datagrams delivered").isLessThan(deadline);
          Thread.sleep(100);
        }
        Map<String, Long> drops = datapath.stats().drops();
        for (String reason :
            List.of(
                "gre-bad-checksum",
                "gre-unknown-key",
                "gre-bad-version",
                "gre-unknown-flags",
                "gre-truncated",
                "gre-out-of-order",
                "gre-wrong-source")) {
          assertThat(drops).as(reason).containsEntry(reason, 1L);
        }
      }
    }
  }
}
