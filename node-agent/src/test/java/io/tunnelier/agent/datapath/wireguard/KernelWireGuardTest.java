package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.kernel.FakeCommandRunner;
import io.tunnelier.api.keys.X25519Keys;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelWireGuardTest {
  private static DatapathConfig.WireGuard config() {
    byte[] privateKey = X25519Keys.generatePrivate(new Random(1)::nextBytes);
    byte[] peer = X25519Keys.publicKey(X25519Keys.generatePrivate(new Random(2)::nextBytes));
    return new DatapathConfig.WireGuard("wgk0", 0, privateKey, peer, null, 51820, null, 0);
  }

  @Test
  void opensTheDeviceWithIpAndWgAndReadsItsCountersBack() throws Exception {
    FakeCommandRunner commands = new FakeCommandRunner();
    KernelWireGuard wg = KernelWireGuard.open(config(), commands);
    assertThat(commands.lines().get(0)).isEqualTo("ip link add wgk0 type wireguard");
    assertThat(commands.lines().get(1)).startsWith("wg setconf wgk0 ");
    assertThat(commands.lines().get(2)).isEqualTo("ip link set wgk0 mtu 1420 up");
    commands.answer(
        "priv\tpub\t51820\toff\npeerpub\t(none)\t203.0.113.10:51820\t0.0.0.0/0\t1700000000"
            + "\t1000\t2000\toff\n");
    var stats = wg.stats();
    assertThat(stats.rxBytes()).isEqualTo(1000);
    assertThat(stats.txBytes()).isEqualTo(2000);
    assertThat(stats.lastHandshake()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
    assertThat(stats.peerEndpoint()).isEqualTo("203.0.113.10:51820");
    wg.close();
    wg.close();
    assertThat(commands.lines()).last().isEqualTo("ip link del wgk0");
    assertThat(commands.lines()).filteredOn(l -> l.startsWith("ip link del")).hasSize(1);
  }

  @Test
  void aFailedStepRemovesTheDeviceAndQuotesTheToolsError() {
    FakeCommandRunner commands = new FakeCommandRunner();
    commands.failOn("wg setconf", "Line unrecognized: `Bogus=1'");
    assertThatThrownBy(() -> KernelWireGuard.open(config(), commands))
        .hasMessageContaining("wg setconf wgk0")
        .hasMessageContaining("Line unrecognized");
    assertThat(commands.lines()).last().isEqualTo("ip link del wgk0");
  }

  @Test
  void availableIsWhetherAThrowawayNamespaceTakesAWireGuardLink() {
    FakeCommandRunner commands = new FakeCommandRunner();
    assertThat(KernelWireGuard.available(commands)).isTrue();
    assertThat(commands.lines()).containsExactly("unshare -n ip link add wgprobe0 type wireguard");
    commands.failOn("wireguard", "Error: Unknown device type.");
    assertThat(KernelWireGuard.available(commands)).isFalse();
  }

  @Test
  void setconfFileCarriesKeysPeerAndKeepalive() {
    byte[] privateKey = X25519Keys.generatePrivate(new Random(1)::nextBytes);
    byte[] peer = X25519Keys.publicKey(X25519Keys.generatePrivate(new Random(2)::nextBytes));
    DatapathConfig.WireGuard config =
        new DatapathConfig.WireGuard(
            "wgk0",
            0,
            privateKey,
            peer,
            null,
            51820,
            new InetSocketAddress("203.0.113.10", 51820),
            25);
    assertThat(KernelWireGuard.setconf(config))
        .isEqualTo(
            "[Interface]\nPrivateKey = "
                + X25519Keys.format(privateKey)
                + "\nListenPort = 51820\n\n[Peer]\nPublicKey = "
                + X25519Keys.format(peer)
                + "\nAllowedIPs = 0.0.0.0/0, ::/0\nEndpoint = 203.0.113.10:51820\n"
                + "PersistentKeepalive = 25\n");
    assertThat(config.toString()).doesNotContain(X25519Keys.format(privateKey));
  }
}
