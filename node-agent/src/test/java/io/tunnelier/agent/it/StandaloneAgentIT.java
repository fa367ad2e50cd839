package io.tunnelier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The standalone agent on a VPS namespace: bad config is refused whole; a bad reload keeps the last
 * good one.
 */
class StandaloneAgentIT {
  static final Duration CONVERGE = Duration.ofSeconds(60);

  @BeforeAll
  static void needsLab() {
    Lab.assumeAvailable();
  }

  @Test
  void aBadConfigNamesTheFieldAndAppliesNothing() throws Exception {
    try (EgressLab lab = new EgressLab()) {
      lab.write(
          "peer.yaml",
          EgressLab.peerYaml()
              .replace("100.96.0.3/31", "100.96.0.300/31")
              .replace("greKey: 4242", "greKey: -1"));
      Exec.Result r =
          AgentProcess.run(
              lab.vps,
              Duration.ofSeconds(60),
              "standalone",
              "--config",
              lab.dir.resolve("peer.yaml").toString(),
              "--metrics-port",
              "-1");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.stderr())
          .contains(
              "tunnels[0].address: must be an IPv4 address",
              "tunnels[0].greKey: must be 0..4294967295");
      assertThat(Census.of(lab.vps).empty()).isTrue();
    }
  }

  @Test
  void aBadReloadKeepsTheLastGoodConfigAndAGoodOneIsApplied() throws Exception {
    try (EgressLab lab = new EgressLab()) {
      String good = EgressLab.peerYaml() + "  routes: [100.70.0.0/16]\n";
      lab.write("peer.yaml", good);
      AgentProcess vps = lab.vpsAgent("1h");
      lab.await(
          "VPS programmed",
          CONVERGE,
          () -> Census.of(lab.vps).rules() == 1 && Census.of(lab.vps).nftObjects() > 0);
      assertThat(lab.vps.execOk("ip", "-j", "rule", "show"))
          .contains("\"dst\":\"100.70.0.0\",\"dstlen\":16");
      assertThat(lab.vps.execOk("nft", "list", "table", "inet", "tunnelier"))
          .contains("masquerade");
      Census before = Census.of(lab.vps);

      lab.write("peer.yaml", good.replace("mssClamp: true", "mssClamp: maybe"));
      lab.await(
          "reload refused", CONVERGE, () -> vps.logText().contains("keeping the last good one"));
      assertThat(vps.logText()).contains("tunnels[0].mssClamp: must be true or false");
      assertThat(Census.of(lab.vps).counts()).isEqualTo(before.counts());

      lab.write(
          "peer.yaml",
          good.replace("routes: [100.70.0.0/16]", "routes: [100.70.0.0/16, 100.71.0.0/16]"));
      lab.await("new route applied", CONVERGE, () -> Census.of(lab.vps).rules() == 2);
    }
  }
}
