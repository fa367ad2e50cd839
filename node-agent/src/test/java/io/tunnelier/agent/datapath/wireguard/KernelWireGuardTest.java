package io.tunnelier.agent.datapath.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.DatapathConfig;
import io.tunnelier.agent.datapath.wireguard.noise.X25519Keys;
import java.net.InetSocketAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelWireGuardTest {
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
