package io.tunnelier.agent.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.gre.UserspaceGreDatapathFactory;
import io.tunnelier.agent.datapath.net.InNetns;
import io.tunnelier.agent.datapath.wireguard.WireGuardLabPair;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.net.Cidr;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A VPS's tunnel port (UDP, or IP protocol 47) faces the internet: anyone may send it empty or
 * garbage packets without a key. A running datapath drops and counts them, and the tunnel's own
 * traffic keeps flowing.
 *
 * <p>Lab: "node" (192.0.2.1, inner 100.64.0.1) and "vps" (192.0.2.2, inner 100.64.0.2, learns its
 * peer) run the real datapaths in this JVM; "stranger" (198.51.100.1) reaches the VPS at
 * 198.51.100.2 and sends bursts of empty, short and garbage datagrams (python3) while the node
 * pings through the tunnel.
 */
class HostileDatagramsIT {
  private static final int ROUNDS = 20;

  /** GRE with key 4242 around an IPv4 header 100.64.0.9 -> 100.64.0.2 (a python expression). */
  private static final String KEYED_GRE =
      "bytes.fromhex('20000800000010924500001400000000401100006440000964400002')";

  @BeforeAll
  static void needsLab() {
    Lab.assumeAvailable();
  }

  @ParameterizedTest(name = "udp={0}")
  @ValueSource(booleans = {true, false})
  void greDropsAndCountsEmptyAndGarbagePacketsAndKeepsForwarding(boolean udp) throws Exception {
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      Netns vps = lab.netns("vps");
      Netns stranger = lab.netns("stranger");
      lab.veth(node, "eth0", "192.0.2.1/24", vps, "eth0", "192.0.2.2/24");
      lab.veth(stranger, "eth0", "198.51.100.1/24", vps, "eth1", "198.51.100.2/24");
      UserspaceGreDatapathFactory vpsFactory = new UserspaceGreDatapathFactory();
      UserspaceGreDatapathFactory nodeFactory = new UserspaceGreDatapathFactory();
      try (Datapath v =
              InNetns.call(
                  vps,
                  () ->
                      vpsFactory.open(
                          new DatapathConfig.Gre(
                                  "tnl0", 0, udp, null, 4754, null, 4242L, false, false)
                              .withAllowedSources(List.of(Cidr.parseIpv4("192.0.2.0/24")))));
          Datapath n =
              InNetns.call(
                  node,
                  () ->
                      nodeFactory.open(
                          new DatapathConfig.Gre(
                              "tnl0",
                              0,
                              udp,
                              new InetSocketAddress("192.0.2.1", 0),
                              4754,
                              new InetSocketAddress("192.0.2.2", 4754),
                              4242L,
                              false,
                              false)))) {
        vps.ip("addr add 100.64.0.2/30 dev tnl0");
        node.ip("addr add 100.64.0.1/30 dev tnl0");

        // The stranger also sends well-formed GRE with the tunnel's key (and an inner IPv4
        // header): outside allowedSources it is neither delivered nor learned as the peer.
        if (udp) {
          pingDuringFlood(node, stranger, "socket.SOCK_DGRAM", 4754, KEYED_GRE);
        } else {
          // Raw GRE: IP protocol 47 packets with empty, short and garbage payloads.
          pingDuringFlood(node, stranger, "socket.SOCK_RAW,47", 0, KEYED_GRE);
        }

        Map<String, Long> drops = v.stats().drops();
        System.out.println("[hostile gre udp=" + udp + "] vps " + v.stats());
        assertThat(drops).as("empty and 3-byte datagrams").containsKey("gre-truncated");
        assertThat(drops.get("gre-truncated")).isPositive();
        assertThat(drops).as("0xff... datagrams").containsKey("gre-bad-version");
        assertThat(drops).doesNotContainKey("internal-error");
        assertThat(drops).as("keyed GRE from the stranger").containsKey("gre-source-not-allowed");
        assertThat(v.stats().rxPackets()).isPositive();
        assertThat(v.stats().peerEndpoint())
            .as("no stranger learned")
            .isEqualTo(udp ? "192.0.2.1:4754" : "192.0.2.1");
      }
    }
  }

  @Test
  void wireGuardDropsAndCountsEmptyAndGarbageDatagramsAndKeepsForwarding() throws Exception {
    try (Lab lab = Lab.create()) {
      Netns node = lab.netns("node");
      Netns vps = lab.netns("vps");
      Netns stranger = lab.netns("stranger");
      lab.veth(node, "eth0", "192.0.2.1/24", vps, "eth0", "192.0.2.2/24");
      lab.veth(stranger, "eth0", "198.51.100.1/24", vps, "eth1", "198.51.100.2/24");
      try (WireGuardLabPair pair = WireGuardLabPair.open(node, vps)) {
        Datapath v = pair.vps();

        pingDuringFlood(node, stranger, "socket.SOCK_DGRAM", 51820, "b''");

        Map<String, Long> drops = v.stats().drops();
        System.out.println("[hostile wireguard] vps " + v.stats());
        assertThat(drops).as("empty datagrams").containsKey("wg-truncated");
        assertThat(drops.get("wg-truncated")).isPositive();
        assertThat(drops).as("3-byte datagrams").containsKey("wg-short");
        assertThat(drops).as("0xff... datagrams").containsKey("wg-bad-type");
        assertThat(drops).doesNotContainKey("wg-receive-error");
        assertThat(v.stats().rxPackets()).isPositive();
        assertThat(v.stats().peerEndpoint()).startsWith("192.0.2.1:");
      }
    }
  }

  /**
   * Pings through the tunnel before, during and after the stranger's bursts: each burst is {@code
   * ROUNDS} x (empty, 3 bytes, 64 x 0xff, empty) in quick succession, so one receive meets an empty
   * datagram after others.
   */
  private static void pingDuringFlood(
      Netns node, Netns stranger, String socketType, int port, String extra) throws Exception {
    Exec.Result before =
        node.exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "3", "100.64.0.2");
    assertThat(before.exitCode()).as(before.stdout() + before.stderr()).isZero();
    String flood =
        "import socket,time\n"
            + "s=socket.socket(socket.AF_INET,"
            + socketType
            + ")\n"
            + "to=('198.51.100.2',"
            + port
            + ")\n"
            + "for burst in range(10):\n"
            + "  for i in range("
            + ROUNDS
            + "):\n"
            + "    for d in (b'', b'abc', b'\\xff'*64, b'', "
            + extra
            + "):\n"
            + "      s.sendto(d, to)\n"
            + "  time.sleep(0.1)\n";
    Process attack = stranger.spawn(null, "/usr/bin/python3", "-c", flood);
    Exec.Result during =
        node.exec(Duration.ofSeconds(30), "ping", "-c", "5", "-i", "0.2", "-W", "3", "100.64.0.2");
    assertThat(attack.waitFor(60, TimeUnit.SECONDS)).as("the stranger's script ended").isTrue();
    assertThat(attack.exitValue()).isZero();
    Exec.Result after =
        node.exec(Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "3", "100.64.0.2");
    assertThat(during.exitCode()).as(during.stdout() + during.stderr()).isZero();
    assertThat(after.exitCode()).as(after.stdout() + after.stderr()).isZero();
  }
}
