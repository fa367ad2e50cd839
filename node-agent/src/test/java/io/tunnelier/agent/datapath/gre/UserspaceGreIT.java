package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The userspace GRE datapath between lab namespaces on the real kernel, one {@link GreTunnelMain}
 * process per namespace: a "node" (192.0.2.1, inner 100.64.0.1) and a "vps" (192.0.2.2, inner
 * 100.64.0.2) that learns its peer, joined by a veth underlay.
 */
class UserspaceGreIT {
  private static final long TRANSFER_BYTES = 100L * 1024 * 1024;
  private static Path dir;
  private static Path data;
  private static String dataSha256;

  @BeforeAll
  static void prepare() throws Exception {
    Lab.assumeAvailable();
    dir = Files.createTempDirectory("gre-it");
    data = dir.resolve("data.bin");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Random random = new Random(4754);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(data)) {
      for (long written = 0; written < TRANSFER_BYTES; written += chunk.length) {
        random.nextBytes(chunk);
        sha.update(chunk);
        out.write(chunk);
      }
    }
    dataSha256 = HexFormat.of().formatHex(sha.digest());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    GreProcess.deleteRecursively(dir);
  }

  static String tunnel(
      String mode, String device, String local, String peer, String address, String more) {
    return "device="
        + device
        + ",mode="
        + mode
        + ",local="
        + local
        + (peer == null ? "" : ",peer=" + peer)
        + ",key=4242,address="
        + address
        + (more.isEmpty() ? "" : "," + more);
  }

  @ParameterizedTest(name = "{0} offloads={1} {2}")
  @CsvSource({"raw,true,''", "udp,true,''", "raw,false,sequence", "udp,false,checksum"})
  void pingAndA100MegabyteTcpTransferArriveIntact(String mode, boolean offloads, String options)
      throws Exception {
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      Netns vps = lab.netns("vps");
      lab.veth(node, "eth0", "192.0.2.1/24", vps, "eth0", "192.0.2.2/24");
      String[] extra = offloads ? new String[0] : new String[] {"--no-offloads"};
      GreProcess v =
          GreProcess.start(
              vps,
              dir,
              List.of(tunnel(mode, "tnl0", "192.0.2.2", null, "100.64.0.2/30", options)),
              extra);
      GreProcess n =
          GreProcess.start(
              node,
              dir,
              List.of(tunnel(mode, "tnl0", "192.0.2.1", "192.0.2.2", "100.64.0.1/30", options)),
              extra);
      int overhead = 20 + 8 + (mode.equals("udp") ? 8 : 0) + (options.isEmpty() ? 0 : 4);
      assertThat(n.output()).contains("READY tnl0 mtu=" + (1500 - overhead));

      Exec.Result ping =
          node.exec(
              Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "3", "100.64.0.2");
      assertThat(ping.exitCode())
          .as(ping.stdout() + ping.stderr() + n.output() + v.output())
          .isZero();

      Path received = dir.resolve("received-" + mode + offloads + ".sha256");
      Files.deleteIfExists(received);
      Process sink =
          vps.spawn(
              null,
              "sh",
              "-c",
              "socat -u TCP-LISTEN:5001,reuseaddr STDOUT | sha256sum > " + received);
      Exec.Result send =
          node.exec(
              Duration.ofSeconds(300),
              "socat",
              "-u",
              "OPEN:" + data,
              "TCP:100.64.0.2:5001,retry=100,interval=0.2");
      assertThat(send.exitCode()).as(send.stderr()).isZero();
      assertThat(sink.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(received).split(" ")[0]).isEqualTo(dataSha256);

      String nodeOut = n.stop();
      String vpsOut = v.stop();
      System.out.println(
          "[gre "
              + mode
              + " offloads="
              + offloads
              + "] node: "
              + nodeOut.lines().filter(l -> l.startsWith("STATS")).toList()
              + "\n  vps: "
              + vpsOut.lines().filter(l -> l.startsWith("STATS")).toList());
      assertThat(vpsOut).contains(mode.equals("udp") ? "peer=192.0.2.1:4754 " : "peer=192.0.2.1 ");
    }
  }

  @Test
  void oversizedDfPacketsGetFragmentationNeededSoPathMtuDiscoveryWorks() throws Exception {
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      Netns vps = lab.netns("vps");
      lab.veth(node, "eth0", "192.0.2.1/24", vps, "eth0", "192.0.2.2/24");
      GreProcess.start(
          vps, dir, List.of(tunnel("raw", "tnl0", "192.0.2.2", null, "100.64.0.2/30", "")));
      // The node's device says 1500, but only 1500 - 28 = 1472 crosses the underlay whole.
      GreProcess.start(
          node,
          dir,
          List.of(tunnel("raw", "tnl0", "192.0.2.1", "192.0.2.2", "100.64.0.1/30", "mtu=1500")));
      assertThat(node.exec("ping", "-c", "1", "-W", "3", "100.64.0.2").exitCode()).isZero();

      Exec.Result big =
          node.exec(
              Duration.ofSeconds(20),
              "ping",
              "-M",
              "do",
              "-s",
              "1472",
              "-c",
              "3",
              "-i",
              "0.3",
              "-W",
              "2",
              "100.64.0.2");
      assertThat(big.stdout() + big.stderr()).containsPattern("mtu ?= ?1472");
      assertThat(node.ip("route get 100.64.0.2")).contains("mtu 1472");

      Exec.Result fits =
          node.exec(
              Duration.ofSeconds(20),
              "ping",
              "-M",
              "do",
              "-s",
              "1444",
              "-c",
              "2",
              "-W",
              "3",
              "100.64.0.2");
      assertThat(fits.exitCode()).as(fits.stdout()).isZero();
    }
  }

  @Test
  void oneVpsServesTwoClustersOnOneSocketByKey() throws Exception {
    try (Lab lab = Lab.create()) {
      Netns a = lab.netns("a");
      Netns b = lab.netns("b");
      Netns vps = lab.netns("vps");
      lab.veth(a, "eth0", "192.0.2.1/24", vps, "eth0", "192.0.2.2/24");
      lab.veth(b, "eth0", "198.51.100.1/24", vps, "eth1", "198.51.100.2/24");
      GreProcess v =
          GreProcess.start(
              vps,
              dir,
              List.of(
                  "device=tnl1,mode=raw,key=1,address=100.64.1.2/30",
                  "device=tnl2,mode=raw,key=2,address=100.64.2.2/30"));
      GreProcess.start(
          a,
          dir,
          List.of(
              "device=tnl0,mode=raw,local=192.0.2.1,peer=192.0.2.2,key=1,address=100.64.1.1/30"));
      GreProcess.start(
          b,
          dir,
          List.of(
              "device=tnl0,mode=raw,local=198.51.100.1,peer=198.51.100.2,key=2,"
                  + "address=100.64.2.1/30"));
      assertThat(a.exec("ping", "-c", "2", "-W", "3", "100.64.1.2").exitCode()).isZero();
      assertThat(b.exec("ping", "-c", "2", "-W", "3", "100.64.2.2").exitCode()).isZero();
      String out = v.stop();
      // Each key's traffic reached its own tunnel, which learned its own cluster as peer (the
      // kernels' own IPv6 chatter on the devices adds a few packets to the counts).
      assertThat(out).containsPattern("STATS tnl1 rxPackets=([2-9]|\\d\\d+) .* peer=192.0.2.1 ");
      assertThat(out).containsPattern("STATS tnl2 rxPackets=([2-9]|\\d\\d+) .* peer=198.51.100.1 ");
    }
  }
}
