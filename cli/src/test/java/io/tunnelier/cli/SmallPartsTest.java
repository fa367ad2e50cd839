package io.tunnelier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmallPartsTest {
  @Test
  void deviceNamesAreTheAgents() {
    // sha256("scraping/egress-nyc") starts with 7429cb44 (as the agent's TunnelId derives it).
    assertThat(TunnelDevice.deviceName("scraping", "egress-nyc")).isEqualTo("tnl-7429cb44");
    assertThat(TunnelDevice.vxlanName("scraping", "egress-nyc")).isEqualTo("tnlv-7429cb44");
  }

  @Test
  void logFilterKeepsLinesAboutTheTunnel() {
    LogFilter filter = new LogFilter("scraping", "egress-nyc");

    assertThat(
            filter.filter(
                """
                ts=1 level=INFO logger=A thread=t msg="tunnel up" tunnel=scraping/egress-nyc
                ts=2 level=INFO logger=A thread=t msg="tunnel up" tunnel=scraping/egress-nycx2
                ts=3 level=WARN logger=A thread=t msg="link down" device=tnl-7429cb44
                ts=4 level=INFO logger=A thread=t msg="resync" tunnels=3
                ts=5 level=INFO logger=A thread=t msg="hop" device=tnlv-7429cb44
                ts=6 level=INFO logger=A thread=t msg="applying ip changes" commands="link set tnl-7429cb44 up; route add"
                ts=7 level=INFO logger=A thread=t msg="about scraping/egress-nyc=\\" error="say \"tunnel=scraping/egress-nyc\""
                ts=8 level=INFO logger=A thread=t msg="tunnel up" tunnel="other/egress-nyc"
                Picked up JAVA_TOOL_OPTIONS: scraping/egress-nyc
                """))
        .extracting(l -> l.substring(0, 4))
        .containsExactly("ts=1", "ts=3", "ts=5", "ts=6", "ts=7", "Pick");
  }

  @Test
  void logFilterReadsJsonLinesAndShowsThemAsText() {
    LogFilter filter = new LogFilter("scraping", "egress-nyc");

    assertThat(
            filter.filter(
                """
                {"timestamp":1700000000123,"level":"INFO","threadName":"loop","loggerName":"io.tunnelier.agent.tunnel.OpenDatapaths","mdc": {},"kvpList": [{"tunnel":"scraping/egress-nyc"},{"error":"a \\"b\\"\\nc"}],"formattedMessage":"opened datapath","throwable":null}
                {"timestamp":1700000000124,"level":"INFO","threadName":"loop","loggerName":"x.Y","mdc": {},"kvpList": [{"tunnel":"scraping/other"}],"formattedMessage":"opened datapath","throwable":null}
                """))
        .containsExactly(
            "ts=2023-11-14T22:13:20.123Z level=INFO logger=OpenDatapaths thread=loop"
                + " msg=\"opened datapath\" tunnel=scraping/egress-nyc error=\"a \\\"b\\\"\\nc\"");
  }

  @Test
  void vpsConfigPicksTheFarEndsFile() {
    Map<String, String> data =
        Map.of(
            "peer.yaml", b64("tunnels: []\n"),
            "wg0.conf", b64("[Interface]\n"),
            "peerPublicKey", b64("x"));

    assertThat(PeerConfigFile.select("t-peer-config", data, "peer.yaml"))
        .isEqualTo("tunnels: []\n");
    assertThat(PeerConfigFile.select("t-peer-config", data, "wg")).isEqualTo("[Interface]\n");
    assertThatThrownBy(
            () -> PeerConfigFile.select("t-peer-config", Map.of("peer.yaml", b64("")), "wg0.conf"))
        .hasMessageContaining("has no wg0.conf")
        .hasMessageContaining("WireGuard Tunnels only");
    assertThatThrownBy(() -> PeerConfigFile.select("t-peer-config", data, "privateKey"))
        .hasMessageContaining("unknown format");
  }

  @Test
  void durations() {
    assertThat(StatusReads.human(java.time.Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(StatusReads.human(java.time.Duration.ofSeconds(192))).isEqualTo("3m12s");
    assertThat(StatusReads.human(java.time.Duration.ofMinutes(125))).isEqualTo("2h5m");
    assertThat(StatusReads.human(java.time.Duration.ofHours(76))).isEqualTo("3d4h");
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
