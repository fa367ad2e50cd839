package io.tunnelier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.lab.Lab;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agents on the real kernel, each in its own namespace as its own process: the gateway and the
 * member (in-cluster mode, from a cluster file) and the VPS (standalone mode). The tunnel device is
 * a veth stand-in (see VethStandIn): GRE/WireGuard datapaths come from other branches.
 */
class EgressAgentIT {
  static final Duration CONVERGE = Duration.ofSeconds(60);

  @BeforeAll
  static void needsLab() {
    Lab.assumeAvailable();
  }

  @Test
  void podsLeaveThroughTheVpsAndTheStateIsIdempotentAndRepaired() throws Exception {
    try (EgressLab lab = new EgressLab()) {
      lab.write("cluster.yaml", lab.clusterYaml(true, List.of()));
      lab.write("peer.yaml", EgressLab.peerYaml());
      AgentProcess vps = lab.vpsAgent("2s");
      AgentProcess gw = lab.gatewayAgent("2s");
      lab.memberAgent("2s");

      String dev = EgressLab.ID.deviceName();
      String vx = EgressLab.ID.vxlanName();
      lab.await(
          "gateway programmed",
          CONVERGE,
          () -> {
            Census c = Census.of(lab.gw);
            return c.links().equals(new java.util.TreeSet<>(List.of(dev, vx)))
                && c.rules() == 3
                && c.nftObjects() > 0;
          });
      lab.await(
          "member programmed",
          CONVERGE,
          () -> Census.of(lab.member).links().contains(vx) && Census.of(lab.member).rules() == 1);
      lab.await("VPS programmed", CONVERGE, () -> Census.of(lab.vps).nftObjects() > 0);

      // The state, seen with the kernel's own tools.
      assertThat(lab.gw.execOk("ip", "-j", "rule", "show"))
          .contains("\"src\":\"100.64.1.5\"", "\"src\":\"100.64.2.7\"");
      assertThat(lab.gw.execOk("ip", "-j", "-d", "link", "show", "dev", vx))
          .contains("\"info_kind\":\"vxlan\"", EgressLab.ID.gatewayMac());
      assertThat(lab.gw.execOk("nft", "-j", "list", "table", "inet", "tunnelier"))
          .contains("\"snat\"", "100.96.0.2");
      assertThat(lab.vps.execOk("nft", "-j", "list", "table", "inet", "tunnelier"))
          .contains("\"masquerade\"");
      assertThat(lab.member.execOk("ip", "-j", "neigh", "show", "dev", vx))
          .contains(EgressLab.ID.gatewayMac());
      // Replies to the member's pod go back over the hop, to the member's hop device.
      assertThat(lab.gw.execOk("ip", "-j", "rule", "show"))
          .contains("\"iif\":\"" + dev + "\",\"table\":\"" + EgressLab.ID.replyTable() + "\"");
      assertThat(lab.gw.execOk("bridge", "-j", "fdb", "show", "dev", vx))
          .contains(EgressLab.ID.memberMac("node-b"), "\"dst\":\"192.0.2.12\"");
      assertThat(lab.member.execOk("ip", "-j", "link", "show", "dev", vx))
          .contains(EgressLab.ID.memberMac("node-b"));

      // Both pods reach the internet, which sees only the VPS's address.
      lab.await("gateway's pod reaches the service", CONVERGE, () -> lab.ping(lab.gwPod));
      lab.await(
          "member's pod reaches the service over the VXLAN hop",
          CONVERGE,
          () -> lab.ping(lab.memberPod));
      assertThat(lab.counter("via-vps")).isPositive();
      assertThat(lab.counter("leaked")).isZero();
      // Both nodes filter reverse paths strictly: the member's traffic and its replies pass it.
      long rpDrops = EgressLab.reversePathDrops(lab.gw) + EgressLab.reversePathDrops(lab.member);
      assertThat(lab.ping(lab.memberPod)).isTrue();
      assertThat(EgressLab.reversePathDrops(lab.gw) + EgressLab.reversePathDrops(lab.member))
          .as("packets dropped by strict reverse-path filtering on the nodes")
          .isEqualTo(rpDrops);

      // For docs/agent.md: the tables as the kernel holds them.
      for (var n : List.of(lab.gw, lab.member, lab.vps)) {
        System.out.println(
            "[nft " + n.name() + "]\n" + n.execOk("nft", "list", "table", "inet", "tunnelier"));
        System.out.println(
            "[ip "
                + n.name()
                + "]\n"
                + n.execOk("ip", "rule", "show")
                + n.execOk("ip", "route", "show", "table", "all")
                    .lines()
                    .filter(l -> l.matches(".*table 5[56][0-9]{5}.*"))
                    .collect(java.util.stream.Collectors.joining("\n"))
                + "\n"
                + n.execOk("bridge", "fdb", "show")
                    .lines()
                    .filter(l -> l.contains("dev tnlv") && !l.startsWith("00:00:00:00:00:00"))
                    .collect(java.util.stream.Collectors.joining("\n"))
                + "\n"
                + n.execOk("ip", "neigh", "show", "nud", "permanent"));
      }

      // A second apply (and a third) changes nothing.
      Census converged = Census.of(lab.gw);
      String before = gw.metrics(EgressLab.METRICS);
      double reconciles =
          AgentProcess.metric(before, "tunnelier_agent_reconciles_total{result=\"ok\"}");
      double commands = AgentProcess.metric(before, "tunnelier_agent_ip_commands_total");
      double transactions = AgentProcess.metric(before, "tunnelier_agent_nft_transactions_total");
      lab.await(
          "two more resyncs",
          CONVERGE,
          () ->
              AgentProcess.metric(
                      gw.metrics(EgressLab.METRICS),
                      "tunnelier_agent_reconciles_total{result=\"ok\"}")
                  >= reconciles + 2);
      String after = gw.metrics(EgressLab.METRICS);
      assertThat(AgentProcess.metric(after, "tunnelier_agent_ip_commands_total"))
          .as(() -> "ip commands after convergence; gateway agent log:\n" + tailOf(gw))
          .isEqualTo(commands);
      assertThat(AgentProcess.metric(after, "tunnelier_agent_nft_transactions_total"))
          .as(() -> "nft transactions after convergence; gateway agent log:\n" + tailOf(gw))
          .isEqualTo(transactions);
      assertThat(Census.of(lab.gw).counts()).isEqualTo(converged.counts());

      // A route deleted behind the agent's back comes back on the next resync.
      int table = EgressLab.ID.table();
      lab.gw.execOk("ip", "route", "del", "0.0.0.0/0", "table", "" + table);
      assertThat(lab.gw.execOk("ip", "-j", "route", "show", "table", "" + table))
          .doesNotContain("\"dst\":\"default\"");
      lab.await(
          "deleted route restored",
          CONVERGE,
          () ->
              lab.gw
                  .execOk("ip", "-j", "route", "show", "table", "" + table)
                  .contains("\"dst\":\"default\""));
      assertThat(Census.of(lab.gw).counts()).isEqualTo(converged.counts());
      assertThat(lab.ping(lab.gwPod)).isTrue();

      // So does a rule flushed from our nftables table.
      lab.gw.execOk("nft", "flush", "chain", "inet", "tunnelier", "postrouting");
      lab.await(
          "nftables table restored",
          CONVERGE,
          () ->
              lab.gw
                  .execOk("nft", "list", "chain", "inet", "tunnelier", "postrouting")
                  .contains("snat ip to 100.96.0.2"));

      // Status and metrics report what the node runs.
      String status = java.nio.file.Files.readString(lab.dir.resolve("gw-status.json"));
      assertThat(status)
          .contains(
              "\"role\" : \"Gateway\"", "\"datapath\" : \"Userspace\"", "\"type\" : \"LinkUp\"");
      assertThat(gw.logText()).contains("msg=\"kernel capabilities\"");
      assertThat(lab.gw.execOk("curl", "-s", "http://127.0.0.1:" + EgressLab.METRICS + "/healthz"))
          .isEqualTo("ok\n");
      vps.stop();
    }
  }

  private static String tailOf(AgentProcess agent) {
    String log = agent.logText();
    return log.length() > 8000 ? log.substring(log.length() - 8000) : log;
  }
}
