package io.tunnelier.operator.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tunnelier.api.http.PlainTextServer;
import io.tunnelier.api.http.PlainTextServer.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The operator's HTTP endpoints for the kubelet and Prometheus, on every address: {@code /healthz}
 * (liveness), {@code /readyz} (readiness) and {@code /metrics} (Prometheus text format). The
 * serving itself is the shared {@link PlainTextServer}.
 */
public final class HealthServer implements AutoCloseable {
  private static final String TEXT = "text/plain; charset=utf-8";

  private final PlainTextServer server;

  public HealthServer(
      int port, BooleanSupplier alive, BooleanSupplier ready, PrometheusMeterRegistry registry) {
    try {
      server =
          new PlainTextServer(
              new InetSocketAddress(port),
              "health-http",
              Map.of(
                  "/healthz", () -> probe(alive),
                  "/readyz", () -> probe(ready),
                  "/metrics",
                      () -> new Response(200, PlainTextServer.PROMETHEUS_TEXT, registry.scrape())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.port();
  }

  private static Response probe(BooleanSupplier check) {
    boolean ok;
    try {
      ok = check.getAsBoolean();
    } catch (RuntimeException e) {
      ok = false;
    }
    return ok ? new Response(200, TEXT, "ok\n") : new Response(503, TEXT, "not ok\n");
  }

  @Override
  public void close() {
    server.close();
  }
}
