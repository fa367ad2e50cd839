package io.tunnelier.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tunnelier.api.http.PlainTextServer.Response;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared endpoint server on loopback: bound where asked, routed, concurrent, strict. */
class PlainTextServerIT {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private PlainTextServer server;
  private final List<Socket> stalled = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server =
        new PlainTextServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            "test-http",
            Map.of(
                "/metrics",
                () -> new Response(200, PlainTextServer.PROMETHEUS_TEXT, "up 1\n"),
                "/healthz",
                () ->
                    healthy.get()
                        ? new Response(200, "text/plain", "ok\n")
                        : new Response(503, "text/plain", "failing\n")));
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
    assertThat(server.port()).isPositive();
  }

  @Test
  void answersEachPathWithItsRoutesStatusTypeAndBody() throws Exception {
    HttpResponse<String> metrics = request("GET", "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body()).isEqualTo("up 1\n");

    assertThat(request("GET", "/healthz").body()).isEqualTo("ok\n");
    healthy.set(false);
    HttpResponse<String> failing = request("GET", "/healthz");
    assertThat(failing.statusCode()).isEqualTo(503);
    assertThat(failing.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(failing.body()).isEqualTo("failing\n");

    assertThat(request("GET", "/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void answersWhileClientsStallInTheMiddleOfTheirRequests() throws Exception {
    for (int i = 0; i < PlainTextServer.THREADS - 1; i++) {
      stall();
    }
    // With one thread, the first stalled client held every other request behind it.
    assertThat(request("GET", "/healthz").statusCode()).isEqualTo(200);
    assertThat(request("GET", "/metrics").body()).contains("up 1");
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
    HttpResponse<String> post = request("POST", "/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> head = request("HEAD", "/healthz");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }
}
