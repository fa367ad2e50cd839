package io.tunnelier.agent.metrics;

import io.tunnelier.api.http.PlainTextServer;
import io.tunnelier.api.http.PlainTextServer.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /metrics} (Prometheus text format) and {@code /healthz} on the address {@link
 * MetricsBinding} chose. The serving itself (thread pool, time limits, GET and HEAD only) is the
 * shared {@link PlainTextServer}.
 */
public final class MetricsServer implements AutoCloseable {
  private final PlainTextServer server;

  public MetricsServer(InetSocketAddress bind, AgentMetrics metrics, BooleanSupplier healthy)
      throws IOException {
    server =
        new PlainTextServer(
            bind,
            "metrics-http",
            Map.of(
                "/metrics",
                () -> new Response(200, PlainTextServer.PROMETHEUS_TEXT, metrics.scrape()),
                "/healthz",
                () ->
                    healthy.getAsBoolean()
                        ? new Response(200, "text/plain", "ok\n")
                        : new Response(503, "text/plain", "reconcile failing\n")));
  }

  public int port() {
    return server.port();
  }

  public InetSocketAddress address() {
    return server.address();
  }

  @Override
  public void close() {
    server.close();
  }
}
