package io.tunnelier.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.agent.datapath.DatapathStats;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's metrics endpoint on loopback: bound where asked, concurrent, strict with clients. */
class MetricsServerIT {
  private final AgentMetrics metrics = new AgentMetrics(false);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private MetricsServer server;
  private final List<Socket> stalled = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server =
        new MetricsServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics, () -> true);
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : stalled) {
      s.close();
    }
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

  /** A client that sent half a request and then nothing. */
  private Socket stall() throws Exception {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    stalled.add(s);
    OutputStream out = s.getOutputStream();
    out.write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  @Test
  void listensOnlyWhereItWasTold() {
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void answersWhileClientsStallInTheMiddleOfTheirRequests() throws Exception {
    for (int i = 0; i < MetricsServer.THREADS - 1; i++) {
      stall();
    }
    // With one thread, the first stalled client held every other request behind it.
    assertThat(request("GET", "/healthz").statusCode()).isEqualTo(200);
    assertThat(request("GET", "/metrics").body()).contains("tunnelier_agent_reconciles");
  }

  @Test
  void aStalledClientIsCutOff() throws Exception {
    Socket s = stall();
    s.setSoTimeout(120_000); // a bound for the test, far above the server's limit
    InputStream in = s.getInputStream();
    int read;
    try {
      read = in.read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept a stalled client's connection open", e);
    } catch (java.io.IOException e) {
      read = -1; // reset by the server: cut off too
    }
    assertThat(read).as("connection closed by the server").isEqualTo(-1);
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
