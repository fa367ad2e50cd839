package io.tunnelier.api.peerconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WgQuickFileTest {
  private static final String PRIVATE = "aGVsbG8taGVsbG8taGVsbG8taGVsbG8taGVsbG8tMTI=";
  private static final String PUBLIC = "d29ybGQtd29ybGQtd29ybGQtd29ybGQtd29ybGQtMTI=";

  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of(
            "VPS side: no endpoint (the cluster may be behind NAT), keepalive",
            new WgQuickFile(
                new WgQuickFile.Interface(PRIVATE, List.of("100.96.0.3/31"), 51820, null),
                List.of(new WgQuickFile.Peer(PUBLIC, List.of("100.96.0.2/32"), null, 25)),
                List.of()),
            """
            [Interface]
            PrivateKey = %s
            Address = 100.96.0.3/31
            ListenPort = 51820

            [Peer]
            PublicKey = %s
            AllowedIPs = 100.96.0.2/32
            PersistentKeepalive = 25
            """
                .formatted(PRIVATE, PUBLIC)),
        Arguments.of(
            "comment, MTU, several allowed IPs, endpoint, keepalive off",
            new WgQuickFile(
                new WgQuickFile.Interface(PRIVATE, List.of("100.96.0.3/31"), 51820, 1420),
                List.of(
                    new WgQuickFile.Peer(
                        PUBLIC, List.of("100.96.0.2/32", "10.10.0.0/16"), "198.51.100.7:51820", 0)),
                List.of("Tunnelier: scraping/egress-nyc", "", "second line")),
            """
            # Tunnelier: scraping/egress-nyc
            #
            # second line

            [Interface]
            PrivateKey = %s
            Address = 100.96.0.3/31
            ListenPort = 51820
            MTU = 1420

            [Peer]
            PublicKey = %s
            AllowedIPs = 100.96.0.2/32, 10.10.0.0/16
            Endpoint = 198.51.100.7:51820
            """
                .formatted(PRIVATE, PUBLIC)),
        Arguments.of(
            "private key not known: asked for in a comment, no ListenPort",
            new WgQuickFile(
                new WgQuickFile.Interface(null, List.of("100.96.0.3/31"), null, null),
                List.of(new WgQuickFile.Peer(PUBLIC, List.of("100.96.0.2/32"), null, null)),
                null),
            """
            [Interface]
            # PrivateKey = <the private key of this end: not known to the operator>
            Address = 100.96.0.3/31

            [Peer]
            PublicKey = %s
            AllowedIPs = 100.96.0.2/32
            """
                .formatted(PUBLIC)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void rendersWgQuickSyntax(String description, WgQuickFile file, String expected) {
    assertThat(file.render()).isEqualTo(expected);
  }

  @Test
  void toStringNeverShowsThePrivateKey() {
    WgQuickFile file =
        new WgQuickFile(
            new WgQuickFile.Interface(PRIVATE, List.of("100.96.0.3/31"), 51820, null),
            List.of(new WgQuickFile.Peer(PUBLIC, List.of(), null, null)),
            List.of());
    assertThat(file.toString()).doesNotContain(PRIVATE);
    assertThat(file.iface().toString()).doesNotContain(PRIVATE);
  }
}
