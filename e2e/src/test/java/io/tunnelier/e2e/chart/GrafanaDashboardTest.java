package io.tunnelier.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tunnelier.agent.datapath.DatapathStats;
import io.tunnelier.agent.metrics.AgentMetrics;
import io.tunnelier.agent.plan.DropRules;
import io.tunnelier.api.v1alpha1.NodeConditions;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.operator.status.GatewayChanges;
import io.tunnelier.operator.status.TunnelEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's Grafana dashboard asks only for metrics the agent and the operator export: every
 * PromQL expression's metric names are in their own scrapes (their registries built in memory, one
 * tunnel fed, no socket), so a renamed metric breaks this test instead of an empty panel.
 */
class GrafanaDashboardTest {
  static final Path DASHBOARD = TunnelierChart.directory().resolve("dashboards/tunnelier.json");

  /** PromQL's aggregations, functions' names are found by the "(" after them. */
  private static final Set<String> KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset");

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

  /**
   * The names of the series in the agent's scrape, with one tunnel (its datapath's counters and its
   * status entry) and one drop reason.
   */
  static Set<String> exportedNames() {
    AgentMetrics metrics = new AgentMetrics(true);
    metrics.tunnelStats(
        "ns/t", new DatapathStats(1, 100, 1, 200, Map.of("gre-truncated", 1L), null, null));
    NodeStatus entry = new NodeStatus();
    entry.setConditions(
        List.of(
            new ConditionBuilder()
                .withType(NodeConditions.PEER_REACHABLE)
                .withStatus("True")
                .build()));
    entry.setRttMillis(20.0);
    entry.setDirectRttMillis(15.0);
    entry.setLastHandshakeTime("2026-01-02T03:04:05Z");
    metrics.tunnelStatus("ns/t", entry);
    metrics.droppedPackets(Map.of(new DropRules.Counted("ns/t", DropRules.Reason.KILL_SWITCH), 1L));
    PrometheusMeterRegistry operator = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Tunnel tunnel = new Tunnel();
    tunnel.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("t").build());
    new GatewayChanges(operator)
        .record(tunnel, new TunnelEvents.Event(TunnelEvents.WARNING, "GatewayFailover", "moved"));
    return (metrics.scrape() + "\n" + operator.scrape())
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The metric names a PromQL expression (or a label_values query) reads. */
  static Set<String> metricNames(String promql) {
    Set<String> names = new TreeSet<>();
    Matcher labelValues =
        Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)\\s*,[^)]*\\)")
            .matcher(promql);
    if (labelValues.find()) {
      names.add(labelValues.group(1));
      return names;
    }
    String stripped =
        promql
            .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\$\\w+", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Matcher m = IDENTIFIER.matcher(stripped);
    while (m.find()) {
      String token = m.group();
      String rest = stripped.substring(m.end()).stripLeading();
      boolean function = rest.startsWith("(");
      boolean number = m.start() > 0 && Character.isDigit(stripped.charAt(m.start() - 1));
      if (!function && !number && !KEYWORDS.contains(token) && !token.matches("and|or|unless")) {
        names.add(token);
      }
    }
    return names;
  }

  static List<String> queries(JsonNode dashboard) {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.path("expr").asText());
      }
      for (JsonNode inner : panel.path("panels")) {
        for (JsonNode target : inner.path("targets")) {
          queries.add(target.path("expr").asText());
        }
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        JsonNode query = variable.path("query");
        queries.add(query.isTextual() ? query.asText() : query.path("query").asText());
      }
    }
    return queries;
  }

  static JsonNode dashboard() throws IOException {
    return new ObjectMapper().readTree(Files.readString(DASHBOARD));
  }

  @Test
  void everyQueryNamesOnlyMetricsTheAgentExports() throws IOException {
    Set<String> exported = exportedNames();
    System.out.println("exported by the agent: " + exported);
    List<String> queries = queries(dashboard());
    assertThat(queries).hasSizeGreaterThan(5).noneMatch(String::isBlank);
    Set<String> used = new TreeSet<>();
    for (String query : queries) {
      Set<String> names = metricNames(query);
      assertThat(names).as("metrics in %s", query).isNotEmpty();
      assertThat(exported).as("metrics in %s", query).containsAll(names);
      used.addAll(names);
    }
    System.out.println("used by the dashboard: " + used);
    // What users look for: tunnels up, round trip, detour, handshake age, apply errors, bytes
    // both ways, drops, the kill switch at work, failovers.
    assertThat(used)
        .contains(
            "tunnelier_agent_tunnel_up",
            "tunnelier_agent_tunnel_rtt_seconds",
            "tunnelier_agent_tunnel_direct_rtt_seconds",
            "tunnelier_agent_tunnel_last_handshake_timestamp_seconds",
            "tunnelier_agent_tunnels",
            "tunnelier_agent_reconciles_total",
            "tunnelier_agent_tunnel_rx_bytes_total",
            "tunnelier_agent_tunnel_tx_bytes_total",
            "tunnelier_agent_tunnel_dropped_packets_total",
            "tunnelier_agent_firewall_dropped_packets_total",
            "tunnelier_operator_gateway_changes_total");
  }

  @Test
  void theParserFindsMetricsAndSkipsFunctionsLabelsAndRanges() {
    assertThat(
            metricNames(
                "sum by (tunnel, instance) (rate(a_total{tunnel=~\"$tunnel\",x=\"y(z)\"}[5m]))"
                    + " / on (instance) group_left b - time() + 2 * c offset 5m"))
        .containsExactly("a_total", "b", "c");
    assertThat(metricNames("label_values(a_total, tunnel)")).containsExactly("a_total");
    assertThat(metricNames("1e3 * rate(m[$__rate_interval])")).containsExactly("m");
  }

  /** Grafana asks for the data source when importing; no panel names a fixed one. */
  @Test
  void panelsUseTheDataSourceVariable() throws IOException {
    JsonNode dashboard = dashboard();
    assertThat(dashboard.path("uid").asText()).isEqualTo("tunnelier");
    for (JsonNode panel : dashboard.path("panels")) {
      if (!panel.path("type").asText().equals("row")) {
        assertThat(panel.path("datasource").path("uid").asText())
            .as(panel.path("title").asText())
            .isEqualTo("${datasource}");
      }
    }
  }
}
