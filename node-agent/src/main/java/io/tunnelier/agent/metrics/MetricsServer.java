package io.tunnelier.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tunnelier.agent.DaemonThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/** {@code /metrics} (Prometheus text format) and {@code /healthz} on the JDK's HttpServer. */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  public MetricsServer(int port, AgentMetrics metrics, BooleanSupplier healthy) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext(
        "/metrics",
        ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    server.createContext(
        "/healthz",
        ex -> {
          boolean ok = healthy.getAsBoolean();
          respond(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "reconcile failing\n");
        });
    server.setExecutor(Executors.newSingleThreadExecutor(DaemonThreads.named("metrics-http")));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (var out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
