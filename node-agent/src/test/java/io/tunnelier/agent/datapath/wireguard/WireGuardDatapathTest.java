package io.tunnelier.agent.datapath.wireguard;

import static io.tunnelier.agent.datapath.wireguard.TwoPeers.ipv4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.net.Endpoint;
import io.tunnelier.agent.datapath.net.FakeNetwork;
import io.tunnelier.agent.datapath.tun.FakeTunDevice;
import io.tunnelier.agent.datapath.wireguard.noise.Entropy;
import io.tunnelier.api.keys.X25519Keys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two real {@link WireGuardDatapath}s (threads, batches, core) joined by the in-memory TUN and
 * network fakes: packets cross both ways, garbage is dropped and counted, the loops survive it.
 */
class WireGuardDatapathTest {
  private final FakeNetwork network = new FakeNetwork();
  private final FakeTunDevice tunA = new FakeTunDevice("wga", 1420);
  private final FakeTunDevice tunB = new FakeTunDevice("wgb", 1420);
  private final Endpoint endpointA = endpoint("192.0.2.1");
  private final Endpoint endpointB = endpoint("192.0.2.2");
  private WireGuardDatapath a;
  private WireGuardDatapath b;

  private static Endpoint endpoint(String ip) {
    try {
      return Endpoint.of(InetAddress.getByName(ip), 51820);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private void start() {
    byte[] privateA = X25519Keys.generatePrivate(new Random(1)::nextBytes);
    byte[] privateB = X25519Keys.generatePrivate(new Random(2)::nextBytes);
    WireGuardDatapath.Options options =
        new WireGuardDatapath.Options(16, true, Constants.REKEY_AFTER_TIME, Entropy.secure());
    b =
        new WireGuardDatapath(
            new DatapathConfig.WireGuard(
                "wgb", 1420, privateB, X25519Keys.publicKey(privateA), null, 51820, null, 0),
            tunB,
            network.bind(endpointB),
            options);
    a =
        new WireGuardDatapath(
            new DatapathConfig.WireGuard(
                "wga",
                1420,
                privateA,
                X25519Keys.publicKey(privateB),
                null,
                51820,
                new InetSocketAddress("192.0.2.2", 51820),
                0),
            tunA,
            network.bind(endpointA),
            options);
  }

  @AfterEach
  void close() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  void packetsCrossBothWaysAndTheResponderLearnsTheEndpoint() throws Exception {
    start();
    for (int i = 0; i < 50; i++) {
      tunA.inject(ipv4(100 + i, i));
    }
    // All arrive; order is kept except that two threads may both be flushing staged packets.
    java.util.List<byte[]> expected = new java.util.ArrayList<>();
    java.util.List<byte[]> received = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add(ipv4(100 + i, i));
      received.add(tunB.written().poll(10, TimeUnit.SECONDS));
    }
    assertThat(received)
        .usingElementComparator(java.util.Arrays::compare)
        .containsExactlyInAnyOrderElementsOf(expected);
    tunB.inject(ipv4(1420, 9));
    assertThat(tunA.written().poll(10, TimeUnit.SECONDS)).isEqualTo(ipv4(1420, 9));
    assertThat(b.stats().peerEndpoint()).isEqualTo("192.0.2.1:51820");
    assertThat(a.stats().lastHandshake()).isNotNull();
    assertThat(b.stats().rxPackets()).isEqualTo(50);
    assertThat(a.stats().txPackets()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void garbageFromTheNetworkIsCountedAndDoesNotStopTheLoop() throws Exception {
    start();
    Endpoint stranger = endpoint("198.51.100.7");
    network.inject(stranger, endpointB, new byte[] {1, 2, 3});
    network.inject(stranger, endpointB, new byte[] {4, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    network.inject(stranger, endpointB, new byte[Messages148.SIZE]);
    tunA.inject(ipv4(64, 1));
    assertThat(tunB.written().poll(10, TimeUnit.SECONDS)).isEqualTo(ipv4(64, 1));
    // The first garbage datagram starts with type 1 (an initiation's), so it is dropped on the
    // handshake thread, in no order with the data path: wait for the count, bounded.
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(
            () ->
                assertThat(b.stats().drops())
                    .containsEntry(WireGuardDrop.SHORT.reason(), 1L)
                    .containsEntry(WireGuardDrop.BAD_LENGTH.reason(), 1L)
                    .containsEntry(WireGuardDrop.BAD_TYPE.reason(), 1L));
    // The stranger never became the endpoint.
    assertThat(b.stats().peerEndpoint()).isEqualTo("192.0.2.1:51820");
  }

  @Test
  void closeStopsTheLoopsAndClosesTheDevice() {
    start();
    a.close();
    assertThat(tunA.isClosed()).isTrue();
    a.close(); // idempotent
  }

  /** A zero-filled 148-byte message: type 0, which no WireGuard message has. */
  private static final class Messages148 {
    static final int SIZE = 148;
  }
}
