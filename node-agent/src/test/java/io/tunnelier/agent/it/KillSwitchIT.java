package io.tunnelier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Lab;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the tunnel down (its device deleted: the stand-in's veth pair is gone on both ends), the
 * selected pod's traffic is dropped on the gateway and never reaches the internet through the
 * node's own default route; with killSwitch false the same traffic leaks, which shows the check can
 * see a leak. The agents resync only on demand (a changed input file), so the tunnel stays down for
 * as long as the test looks.
 */
class KillSwitchIT {
  static final Duration CONVERGE = Duration.ofSeconds(60);

  @BeforeAll
  static void needsLab() {
    Lab.assumeAvailable();
  }

  @Test
  void withTheTunnelDownThePodsTrafficIsDroppedNotLeaked() throws Exception {
    try (EgressLab lab = new EgressLab()) {
      lab.write("cluster.yaml", lab.clusterYaml(true, List.of()));
      lab.write("peer.yaml", EgressLab.peerYaml());
      lab.vpsAgent("1h");
      AgentProcess gwAgent = lab.gatewayAgent("1h");
      String dev = EgressLab.ID.deviceName();
      // Before the first apply nothing protects the pod (there is no agent yet): wait for it.
      lab.await(
          "gateway programmed", CONVERGE, () -> Census.of(lab.gw).dump().contains("kill switch"));
      lab.await("VPS programmed", CONVERGE, () -> Census.of(lab.vps).nftObjects() > 0);
      lab.await("tunnel up end to end", CONVERGE, () -> lab.ping(lab.gwPod));
      long viaVps = lab.counter("via-vps");
      long leakedBefore = lab.counter("leaked");
      assertThat(viaVps).isPositive();

      // Tunnel down.
      lab.gw.execOk("ip", "link", "del", dev);
      assertThat(lab.gw.exec("ip", "link", "show", "dev", dev).exitCode()).isNotZero();
      assertThat(lab.ping(lab.gwPod)).isFalse();
      assertThat(lab.counter("leaked"))
          .as("packets that left through the gateway's default route")
          .isZero();
      assertThat(lab.counter("via-vps")).isEqualTo(viaVps);
      String forward = lab.gw.execOk("nft", "list", "chain", "inet", "tunnelier", "forward");
      assertThat(forward)
          .containsPattern(
              "oifname != \"" + dev + "\" counter packets [1-9][0-9]* bytes [0-9]+ drop");
      long dropped = killSwitchPackets(forward);

      // Tunnel back: a changed input makes each agent resync (the gateway re-opens its datapath,
      // the VPS re-addresses its end). Rewriting the same content is a change of the file.
      lab.write("cluster.yaml", lab.clusterYaml(true, List.of()));
      lab.await(
          "gateway tunnel device back",
          CONVERGE,
          () -> lab.gw.exec("ip", "link", "show", "dev", dev).exitCode() == 0);
      lab.write("peer.yaml", EgressLab.peerYaml());
      lab.await("traffic flows again", CONVERGE, () -> lab.ping(lab.gwPod));
      // The pass that brought the device back read the counters: the drops are a metric (a
      // ping sent while that pass was half-way may have been dropped after it read them).
      double metric = killSwitchMetric(gwAgent.metrics(EgressLab.METRICS));
      long nftNow =
          killSwitchPackets(lab.gw.execOk("nft", "list", "chain", "inet", "tunnelier", "forward"));
      assertThat(metric)
          .as("the kill switch's drops on /metrics (nft counted %s, now %s)", dropped, nftNow)
          .isBetween((double) dropped, (double) nftNow);

      // Control: kill switch off, tunnel down: the same ping now leaks out of the default route.
      lab.write("cluster.yaml", lab.clusterYaml(false, List.of()));
      lab.await(
          "kill switch removed",
          CONVERGE,
          () ->
              !lab.gw.execOk("nft", "list", "table", "inet", "tunnelier").contains("kill switch"));
      lab.gw.execOk("ip", "link", "del", dev);
      lab.ping(lab.gwPod);
      assertThat(lab.counter("leaked"))
          .as("without the kill switch the traffic leaks")
          .isPositive();
    }
  }

  static double killSwitchMetric(String metrics) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(
          "tunnelier_agent_firewall_dropped_packets_total{reason=\"kill-switch\",")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  /** The packets of the kill-switch rules in an {@code nft list chain} text. */
  static long killSwitchPackets(String chain) {
    long sum = 0;
    Matcher m =
        Pattern.compile("counter packets ([0-9]+) bytes [0-9]+ drop comment \"kill switch ")
            .matcher(chain);
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }
}
