package io.tunnelier.api.peerconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WgQuickConfigTest {
  static final String PRIVATE = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
  static final String PUBLIC = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
  static final String PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

  static WgQuickConfig vps() {
    return new WgQuickConfig(
        PRIVATE,
        List.of("100.96.0.3/31"),
        51820,
        1420,
        new WgQuickConfig.Peer(PUBLIC, PSK, null, List.of("100.96.0.2/32", "10.244.0.0/16"), 25));
  }

  @Test
  void rendersAWgQuickFile() {
    assertThat(vps().render())
        .isEqualTo(
            """
            [Interface]
            PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
            Address = 100.96.0.3/31
            ListenPort = 51820
            MTU = 1420

            [Peer]
            PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
            PresharedKey = FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=
            AllowedIPs = 100.96.0.2/32, 10.244.0.0/16
            PersistentKeepalive = 25
            """);
  }

  @Test
  void rendersAnEndpointAndLeavesOutWhatIsUnset() {
    WgQuickConfig config =
        new WgQuickConfig(
            PRIVATE,
            List.of(),
            null,
            null,
            new WgQuickConfig.Peer(PUBLIC, null, "[2001:db8::1]:51820", List.of("0.0.0.0/0"), 0));
    assertThat(config.render())
        .isEqualTo(
            """
            [Interface]
            PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=

            [Peer]
            PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
            AllowedIPs = 0.0.0.0/0
            Endpoint = [2001:db8::1]:51820
            """);
  }

  @Test
  void stripRemovesTheWgQuickOnlyKeys() {
    assertThat(WgQuickConfig.strip(vps().render()))
        .isEqualTo(
            """
            [Interface]
            PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
            ListenPort = 51820

            [Peer]
            PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
            PresharedKey = FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=
            AllowedIPs = 100.96.0.2/32, 10.244.0.0/16
            PersistentKeepalive = 25
            """);
  }

  @Test
  void stripKeepsPeerKeysEvenWithWgQuickNames() {
    String text = "[Interface]\nDNS = 1.1.1.1\nPostUp = iptables -A x\n[Peer]\nPublicKey = k\n";
    assertThat(WgQuickConfig.strip(text)).isEqualTo("[Interface]\n[Peer]\nPublicKey = k\n");
  }

  @Test
  void toStringNeverShowsSecrets() {
    assertThat(vps().toString()).doesNotContain(PRIVATE).doesNotContain(PSK).contains(PUBLIC);
  }

  @Test
  void rejectsBadInputWithoutEchoingKeys() {
    assertThatThrownBy(() -> new WgQuickConfig("c2VjcmV0", List.of(), null, null, vps().peer()))
        .hasMessage("privateKey: must be 32 bytes of base64");
    assertThatThrownBy(() -> new WgQuickConfig.Peer(PUBLIC, null, "203.0.113.10", List.of(), null))
        .hasMessageContaining("peer.endpoint");
    assertThatThrownBy(() -> new WgQuickConfig.Peer(PUBLIC, null, null, List.of("10.0.0.1"), null))
        .hasMessageContaining("not a CIDR");
    assertThatThrownBy(() -> new WgQuickConfig(PRIVATE, List.of(), 0, null, vps().peer()))
        .hasMessageContaining("listenPort");
  }
}
