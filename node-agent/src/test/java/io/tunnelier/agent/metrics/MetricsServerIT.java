package io.tunnelier.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.DatapathStats;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's metrics endpoint on loopback: bound where asked, its two routes. Concurrency and time
 * limits are the shared server's ({@code io.tunnelier.api.http.PlainTextServerIT}).
 */
class MetricsServerIT {
  private final AgentMetrics metrics = new AgentMetrics(false);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private MetricsServer server;
  private volatile boolean healthy = true;

  @BeforeEach
  void start() throws Exception {
    server =
        new MetricsServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics, () -> healthy);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> request(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void listensOnlyWhereItWasTold() {
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void healthzSaysWhetherReconcilesFail() throws Exception {
    healthy = false;
    HttpResponse<String> failing = request("GET", "/healthz");
    assertThat(failing.statusCode()).isEqualTo(503);
    assertThat(failing.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(failing.body()).isEqualTo("reconcile failing\n");
    healthy = true;
    assertThat(request("GET", "/healthz").body()).isEqualTo("ok\n");
  }

  @Test
  void metricsInPrometheusText() throws Exception {
    HttpResponse<String> scrape = request("GET", "/metrics");
    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(scrape.body()).contains("tunnelier_agent_reconciles");
  }

  @Test
  void onlyGetAndHead() throws Exception {
    assertThat(request("POST", "/metrics").statusCode()).isEqualTo(405);
    assertThat(request("HEAD", "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void hiddenNamesLabelTunnelsByDeviceName() throws Exception {
    metrics.tunnelStats(
        "scraping/egress-nyc",
        new DatapathStats(1, 5, 1, 7, Map.of("gre-truncated", 3L), null, null));
    String body = request("GET", "/metrics").body();
    assertThat(body).doesNotContain("scraping").doesNotContain("egress-nyc");
    assertThat(body)
        .containsPattern("tunnelier_agent_tunnel_rx_bytes_total\\{tunnel=\"tnl-[0-9a-f]+\"\\} 5")
        .containsPattern(
            "tunnelier_agent_tunnel_dropped_packets_total\\{reason=\"gre-truncated\",tunnel=\"tnl-[0-9a-f]+\"\\} 3");
  }

  @Test
  void namesShownWhenAllowed() {
    AgentMetrics named = new AgentMetrics(true);
    named.tunnelStats("scraping/egress-nyc", new DatapathStats(1, 5, 1, 7, Map.of(), null, null));
    assertThat(named.scrape()).contains("tunnel=\"scraping/egress-nyc\"");
  }
}
