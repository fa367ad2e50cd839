package io.tunnelier.agent.datapath.gre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.agent.datapath.Datapath;
import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.FakeNetwork;
import io.tunnelier.agent.datapath.net.IpPacket;
import io.tunnelier.agent.datapath.net.PacketBatch;
import io.tunnelier.agent.datapath.net.Packets;
import io.tunnelier.agent.datapath.tun.FakeTunDevice;
import io.tunnelier.api.net.Cidr;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whole userspace GRE datapaths talking over an in-memory network, through the factory. */
class UserspaceGreDatapathTest {
  static final int NODE_INNER = Packets.ipv4("100.64.0.1");
  static final int VPS_INNER = Packets.ipv4("100.64.0.2");

  private final FakeNetwork network = new FakeNetwork();
  private final List<Datapath> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(Datapath::close);
  }

  private final java.util.Map<FakeGrePlatform, UserspaceGreDatapathFactory> factories =
      new java.util.HashMap<>();

  /** Opens through the platform's one factory, as the agent on that host would. */
  private Datapath open(FakeGrePlatform platform, DatapathConfig.Gre config) throws Exception {
    Datapath d =
        factories
            .computeIfAbsent(
                platform,
                p ->
                    new UserspaceGreDatapathFactory(
                        p, UserspaceGreDatapathFactory.Options.defaults()))
            .open(config);
    open.add(d);
    return d;
  }

  private static DatapathConfig.Gre gre(
      String name, boolean udp, String local, String peer, Long key, boolean seq, boolean csum) {
    return gre(name, 0, udp, local, peer, key, seq, csum);
  }

  private static DatapathConfig.Gre gre(
      String name,
      int mtu,
      boolean udp,
      String local,
      String peer,
      Long key,
      boolean seq,
      boolean csum) {
    return new DatapathConfig.Gre(
        name,
        mtu,
        udp,
        new InetSocketAddress(local, 0),
        0,
        peer == null ? null : new InetSocketAddress(peer, 0),
        key,
        seq,
        csum);
  }

  private static byte[] ping(int src, int dst, int size, boolean df) {
    return Packets.ipv4(
        src, dst, 1, df, Packets.echoRequest(false, 1, 1, Packets.pattern(size, 3)));
  }

  private static byte[] await(FakeTunDevice device) throws InterruptedException {
    byte[] p = device.written().poll(5, TimeUnit.SECONDS);
    assertThat(p).as("a packet written to " + device.name()).isNotNull();
    return p;
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /** A GRE packet as another implementation would put it on the wire. */
  static byte[] grePacket(byte[] inner, boolean csum, long key, long seq) {
    PacketBatch b = new PacketBatch(1, 64, 2048);
    int i = b.add(inner);
    int start =
        GreCodec.encode(
            b.buffer(), b.offset(i), inner.length, GreHeader.PROTOCOL_IPV4, csum, key, seq);
    b.set(i, start, inner.length + (b.offset(i) - start));
    return b.toArray(i);
  }

  static Endpoint raw(String ip) throws Exception {
    return Endpoint.of(java.net.InetAddress.getByName(ip), 0);
  }

  @Test
  void nodeAndVpsExchangePacketsAndTheVpsLearnsItsPeer() throws Exception {
    for (boolean udp : new boolean[] {false, true}) {
      FakeGrePlatform node = new FakeGrePlatform(network, 1500);
      FakeGrePlatform vps = new FakeGrePlatform(network, 1500);
      String n = udp ? "u" : "r";
      Datapath nd = open(node, gre(n + "node", udp, "192.0.2.1", "192.0.2.2", 42L, true, true));
      Datapath vd = open(vps, gre(n + "vps", udp, "192.0.2.2", null, 42L, true, true));
      int overhead = 20 + 16 + (udp ? 8 : 0);
      assertThat(nd.mtu()).isEqualTo(1500 - overhead);
      assertThat(node.device(n + "node").mtu()).isEqualTo(1500 - overhead);

      // The VPS has not heard from its peer: nowhere to send yet.
      vps.device(n + "vps").inject(ping(VPS_INNER, NODE_INNER, 10, true));
      eventually(() -> vd.stats().drops().getOrDefault("no-peer", 0L) == 1);

      byte[] request = ping(NODE_INNER, VPS_INNER, 100, true);
      node.device(n + "node").inject(request);
      assertThat(await(vps.device(n + "vps"))).isEqualTo(request);
      assertThat(vd.stats().peerEndpoint()).isEqualTo(udp ? "192.0.2.1:4754" : "192.0.2.1");

      byte[] reply = ping(VPS_INNER, NODE_INNER, 100, true);
      vps.device(n + "vps").inject(reply);
      assertThat(await(node.device(n + "node"))).isEqualTo(reply);

      eventually(() -> nd.stats().rxPackets() == 1 && nd.stats().txPackets() == 1);
      assertThat(nd.stats().txBytes()).isEqualTo(request.length);
      assertThat(nd.stats().rxBytes()).isEqualTo(reply.length);
      // Counted just after the device write that await() saw.
      eventually(() -> vd.stats().rxPackets() == 1);
      assertThat(nd.stats().drops()).isEmpty();
    }
  }

  @Test
  void aVpsLearnsItsPeerOnlyFromAllowedSourcesAndRoamsWithinThem() throws Exception {
    FakeGrePlatform vps = new FakeGrePlatform(network, 1500);
    Datapath vd =
        open(
            vps,
            gre("avps", false, "192.0.2.2", null, 7L, false, false)
                .withAllowedSources(List.of(Cidr.parseIpv4("198.51.100.0/24"))));
    byte[] inner = ping(NODE_INNER, VPS_INNER, 50, true);
    byte[] packet = grePacket(inner, false, 7, -1);

    // A stranger who knows the key: dropped, and not learned as the peer (no open relay).
    network.inject(raw("203.0.113.66"), raw("192.0.2.2"), packet);
    eventually(() -> vd.stats().drops().getOrDefault("gre-source-not-allowed", 0L) == 1);
    assertThat(vd.stats().peerEndpoint()).isNull();

    // The active gateway: learned.
    network.inject(raw("198.51.100.1"), raw("192.0.2.2"), packet);
    assertThat(await(vps.device("avps"))).isEqualTo(inner);
    assertThat(vd.stats().peerEndpoint()).isEqualTo("198.51.100.1");

    // Failover to another allowed gateway: the VPS follows.
    network.inject(raw("198.51.100.2"), raw("192.0.2.2"), packet);
    assertThat(await(vps.device("avps"))).isEqualTo(inner);
    assertThat(vd.stats().peerEndpoint()).isEqualTo("198.51.100.2");

    // The stranger again: still dropped, the peer stays.
    network.inject(raw("203.0.113.66"), raw("192.0.2.2"), packet);
    eventually(() -> vd.stats().drops().getOrDefault("gre-source-not-allowed", 0L) == 2);
    assertThat(vd.stats().peerEndpoint()).isEqualTo("198.51.100.2");
    eventually(() -> vd.stats().rxPackets() == 2);
  }

  @Test
  void oneVpsSocketServesManyTunnelsByKey() throws Exception {
    FakeGrePlatform vps = new FakeGrePlatform(network, 1500);
    FakeGrePlatform nodeA = new FakeGrePlatform(network, 1500);
    FakeGrePlatform nodeB = new FakeGrePlatform(network, 1500);
    Datapath v1 = open(vps, gre("v1", false, "192.0.2.2", null, 1L, false, false));
    Datapath v2 = open(vps, gre("v2", false, "192.0.2.2", null, 2L, false, false));
    assertThat(vps.socketsOpened).hasValue(1);
    open(nodeA, gre("a", false, "192.0.2.10", "192.0.2.2", 1L, false, false));
    open(nodeB, gre("b", false, "192.0.2.11", "192.0.2.2", 2L, false, false));

    byte[] fromA = ping(Packets.ipv4("100.64.1.1"), VPS_INNER, 10, false);
    byte[] fromB = ping(Packets.ipv4("100.64.2.1"), VPS_INNER, 20, false);
    nodeA.device("a").inject(fromA);
    nodeB.device("b").inject(fromB);
    assertThat(await(vps.device("v1"))).isEqualTo(fromA);
    assertThat(await(vps.device("v2"))).isEqualTo(fromB);
    assertThat(v1.stats().peerEndpoint()).isEqualTo("192.0.2.10");
    assertThat(v2.stats().peerEndpoint()).isEqualTo("192.0.2.11");

    // Replies go back to each tunnel's own peer.
    byte[] toA = ping(VPS_INNER, Packets.ipv4("100.64.1.1"), 10, false);
    vps.device("v1").inject(toA);
    assertThat(await(nodeA.device("a"))).isEqualTo(toA);
    assertThat(nodeB.device("b").written()).isEmpty();

    // A key nobody has is dropped and counted.
    network.inject(raw("192.0.2.10"), raw("192.0.2.2"), grePacket(fromA, false, 3, -1));
    eventually(() -> v1.stats().drops().getOrDefault("gre-unknown-key", 0L) == 1);
    assertThat(vps.device("v1").written()).isEmpty();

    // A second tunnel with a key in use is refused, naming the field, and leaves nothing behind.
    assertThatThrownBy(() -> open(vps, gre("v3", false, "192.0.2.2", null, 2L, false, false)))
        .hasMessageStartingWith("key:");
    assertThat(vps.device("v3").isClosed()).isTrue();
    nodeB.device("b").inject(fromB);
    assertThat(await(vps.device("v2"))).isEqualTo(fromB);
  }

  @Test
  void malformedAndUnwantedPacketsAreDroppedAndCountedByReason() throws Exception {
    FakeGrePlatform node = new FakeGrePlatform(network, 1500);
    Datapath d = open(node, gre("n", false, "192.0.2.1", "192.0.2.2", 42L, false, false));
    Endpoint peer = raw("192.0.2.2");
    Endpoint me = raw("192.0.2.1");
    byte[] inner = ping(VPS_INNER, NODE_INNER, 10, false);

    byte[] badChecksum = grePacket(inner, true, 42, -1);
    badChecksum[badChecksum.length - 1] ^= 1;
    network.inject(peer, me, badChecksum);
    byte[] badVersion = grePacket(inner, false, 42, -1);
    badVersion[1] |= 1;
    network.inject(peer, me, badVersion);
    byte[] routing = grePacket(inner, false, 42, -1);
    routing[0] |= 0x40;
    network.inject(peer, me, routing);
    network.inject(peer, me, new byte[] {0x20, 0, 8});
    network.inject(peer, me, grePacket(inner, false, 41, -1));
    network.inject(raw("192.0.2.99"), me, grePacket(inner, false, 42, -1));
    network.inject(peer, me, grePacket(inner, false, 42, 5));
    network.inject(peer, me, grePacket(inner, false, 42, 3));
    network.inject(peer, me, grePacket(inner, false, 42, 6));

    eventually(() -> d.stats().rxPackets() == 2);
    assertThat(d.stats().drops())
        .containsEntry("gre-bad-checksum", 1L)
        .containsEntry("gre-bad-version", 1L)
        .containsEntry("gre-unknown-flags", 1L)
        .containsEntry("gre-truncated", 1L)
        .containsEntry("gre-unknown-key", 1L)
        .containsEntry("gre-wrong-source", 1L)
        .containsEntry("gre-out-of-order", 1L);
    FakeTunDevice device = node.device("n");
    assertThat(await(device)).isEqualTo(inner);
    assertThat(await(device)).isEqualTo(inner);
    assertThat(device.written()).isEmpty();
    // Not an IP packet from the device side.
    device.inject(new byte[] {0x10, 1, 2, 3});
    eventually(() -> d.stats().drops().getOrDefault("tun-not-ip", 0L) == 1);
  }

  @Test
  void oversizedPacketWithDfIsAnsweredWithFragmentationNeeded() throws Exception {
    FakeGrePlatform node = new FakeGrePlatform(network, 1500);
    FakeGrePlatform vps = new FakeGrePlatform(network, 1500);
    // The device is configured above what the underlay carries: 1500 - 28 = 1472 fits.
    Datapath d = open(node, gre("n", 1500, false, "192.0.2.1", "192.0.2.2", 42L, false, false));
    open(vps, gre("v", false, "192.0.2.2", null, 42L, false, false));
    assertThat(d.mtu()).isEqualTo(1500);
    FakeTunDevice device = node.device("n");

    byte[] big = ping(NODE_INNER, VPS_INNER, 1500 - 28, true);
    device.inject(big);
    byte[] icmp = await(device);
    ByteBuffer b = ByteBuffer.wrap(icmp);
    assertThat(IpPacket.ipv4Destination(b, 0)).isEqualTo(NODE_INNER);
    assertThat(b.get(20)).isEqualTo((byte) 3);
    assertThat(b.get(21)).isEqualTo((byte) 4);
    assertThat(b.getShort(26) & 0xFFFF).isEqualTo(1472);
    eventually(() -> d.stats().drops().getOrDefault("too-big", 0L) == 1);

    // Without DF it goes, to be fragmented on the underlay; at the limit it goes whole.
    byte[] noDf = ping(NODE_INNER, VPS_INNER, 1500 - 28, false);
    device.inject(noDf);
    assertThat(await(vps.device("v"))).isEqualTo(noDf);
    byte[] fits = ping(NODE_INNER, VPS_INNER, 1472 - 28, true);
    device.inject(fits);
    assertThat(await(vps.device("v"))).isEqualTo(fits);
  }

  @Test
  void closingRemovesTheDeviceAndFreesTheSocket() throws Exception {
    FakeGrePlatform node = new FakeGrePlatform(network, 1500);
    Datapath d = open(node, gre("n", true, "192.0.2.1", "192.0.2.2", 1L, false, false));
    d.close();
    d.close();
    assertThat(node.device("n").isClosed()).isTrue();
    // The same address can be bound again.
    open(node, gre("n", true, "192.0.2.1", "192.0.2.2", 1L, false, false));
    assertThat(node.socketsOpened).hasValue(2);
  }

  @Test
  void manyTunnelsShareAFewSendersWhichEndWithTheirLastTunnel() throws Exception {
    FakeGrePlatform node = new FakeGrePlatform(network, 1500);
    FakeGrePlatform vps = new FakeGrePlatform(network, 1500);
    UserspaceGreDatapathFactory nodeFactory =
        new UserspaceGreDatapathFactory(node, new UserspaceGreDatapathFactory.Options(true, 2));
    factories.put(node, nodeFactory);
    List<Datapath> nodeSide = new ArrayList<>();
    for (int k = 1; k <= 40; k++) {
      nodeSide.add(open(node, gre("n" + k, true, "192.0.2.1", "192.0.2.2", (long) k, true, true)));
      open(vps, gre("v" + k, true, "192.0.2.2", null, (long) k, true, true));
    }
    assertThat(nodeFactory.senders()).isEqualTo(2);
    sendThrough(node, vps, 1, 1);

    // The least busy sender takes each new tunnel: the odd ones share the first sender, the even
    // ones the second. Closing the odd ones ends the first; the others keep sending.
    for (int k = 1; k <= 40; k += 2) {
      nodeSide.get(k - 1).close();
      assertThat(node.device("n" + k).isClosed()).isTrue();
    }
    assertThat(nodeFactory.senders()).isEqualTo(1);
    sendThrough(node, vps, 2, 2);

    nodeSide.forEach(Datapath::close);
    assertThat(nodeFactory.senders()).as("senders left with no tunnel").isZero();
  }

  /** A ping from each node tunnel {@code first, first+step, ...} up to 40 reaches its VPS side. */
  private static void sendThrough(FakeGrePlatform node, FakeGrePlatform vps, int first, int step)
      throws InterruptedException {
    for (int k = first; k <= 40; k += step) {
      node.device("n" + k).inject(ping(Packets.ipv4("100.64.1." + k), VPS_INNER, k, true));
    }
    for (int k = first; k <= 40; k += step) {
      assertThat(await(vps.device("v" + k)))
          .as("tunnel %d", k)
          .isEqualTo(ping(Packets.ipv4("100.64.1." + k), VPS_INNER, k, true));
    }
  }

  @Test
  void aSenderTakesATunnelWithALargerMtuThanItsOthers() throws Exception {
    FakeGrePlatform node = new FakeGrePlatform(network, 9000);
    FakeGrePlatform vps = new FakeGrePlatform(network, 9000);
    factories.put(
        node,
        new UserspaceGreDatapathFactory(node, new UserspaceGreDatapathFactory.Options(true, 1)));
    open(node, gre("small", 1300, true, "192.0.2.1", "192.0.2.2", 1L, false, false));
    open(vps, gre("vsmall", true, "192.0.2.2", null, 1L, false, false));
    node.device("small").inject(ping(NODE_INNER, VPS_INNER, 1000, true));
    assertThat(await(vps.device("vsmall"))).hasSize(1028);

    Datapath large = open(node, gre("large", true, "192.0.2.1", "192.0.2.2", 2L, false, false));
    open(vps, gre("vlarge", true, "192.0.2.2", null, 2L, false, false));
    assertThat(large.mtu()).isEqualTo(9000 - 20 - 8 - 8);
    byte[] jumbo = ping(NODE_INNER, VPS_INNER, 8000, true);
    node.device("large").inject(jumbo);
    assertThat(await(vps.device("vlarge"))).isEqualTo(jumbo);
    node.device("small").inject(ping(NODE_INNER, VPS_INNER, 1000, true));
    assertThat(await(vps.device("vsmall"))).hasSize(1028);
  }

  @Test
  void anUnderlayTooSmallForTheOverheadIsAConfigError() {
    FakeGrePlatform tiny = new FakeGrePlatform(network, 600);
    assertThatThrownBy(() -> open(tiny, gre("n", true, "192.0.2.1", "192.0.2.2", 1L, true, true)))
        .hasMessageStartingWith("mtu:");
  }
}
