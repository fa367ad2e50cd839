package io.tunnelier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentLogsTest {
  private static final Map<String, String> LOGS =
      Map.of(
          "tunnelier-node-agent-node-b",
          """
          ts=1 level=INFO logger=AgentLoop thread=loop msg="member programmed" tunnel=scraping/egress-nyc
          ts=2 level=INFO logger=AgentLoop thread=loop msg="member programmed" tunnel=scraping/other
          """,
          "tunnelier-node-agent-node-a",
          """
          ts=1 level=INFO logger=OpenDatapaths thread=loop msg="opened datapath" tunnel=scraping/egress-nyc device=tnl-7429cb44
          ts=2 level=WARN logger=OpenDatapaths thread=loop msg="closing datapath failed" device=tnl-7429cb44 error="a \\"b\\""
          ts=3 level=INFO logger=AgentLoop thread=loop msg="reconciled" tunnels=2
          """);

  private static final AgentLogs.Source FAKE =
      pod -> {
        String log = LOGS.get(pod.getMetadata().getName());
        if (log == null) {
          throw new IllegalStateException("forbidden (HTTP 403)");
        }
        return log;
      };

  @Test
  void keepsEachAgentsLinesAboutTheTunnelNodeByNode() {
    List<Pod> pods =
        List.of(
            Fixtures.agentPod("node-b", "Running", null),
            Fixtures.agentPod("node-a", "Running", null));

    AgentLogs.Result result =
        AgentLogs.collect(pods, null, new LogFilter("scraping", "egress-nyc"), FAKE);

    assertThat(result.lines())
        .containsExactly(
            "[node-a] ts=1 level=INFO logger=OpenDatapaths thread=loop msg=\"opened datapath\""
                + " tunnel=scraping/egress-nyc device=tnl-7429cb44",
            "[node-a] ts=2 level=WARN logger=OpenDatapaths thread=loop"
                + " msg=\"closing datapath failed\" device=tnl-7429cb44 error=\"a \\\"b\\\"\"",
            "[node-b] ts=1 level=INFO logger=AgentLoop thread=loop msg=\"member programmed\""
                + " tunnel=scraping/egress-nyc");
    assertThat(result.errors()).isEmpty();
  }

  @Test
  void oneNodeOnlyAndUnreadableLogsSayWhy() {
    List<Pod> pods =
        List.of(
            Fixtures.agentPod("node-a", "Running", null),
            Fixtures.agentPod("node-c", "Running", null));

    AgentLogs.Result onlyA =
        AgentLogs.collect(pods, "node-a", new LogFilter("scraping", "egress-nyc"), FAKE);
    AgentLogs.Result all =
        AgentLogs.collect(pods, null, new LogFilter("scraping", "egress-nyc"), FAKE);

    assertThat(onlyA.lines()).hasSize(2).allMatch(l -> l.startsWith("[node-a] "));
    assertThat(all.errors())
        .containsExactly(
            "[node-c] cannot read the log of tunnelier-node-agent-node-c: forbidden (HTTP 403)");
  }
}
