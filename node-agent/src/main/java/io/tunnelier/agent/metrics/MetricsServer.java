package io.tunnelier.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tunnelier.agent.DaemonThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code /metrics} (Prometheus text format) and {@code /healthz} on the JDK's HttpServer, on the
 * address {@link MetricsBinding} chose. Answers on a small pool of threads, and a client that does
 * not finish sending its request (or reading the answer) within {@link #REQUEST_SECONDS} is cut
 * off, so a slow or stalled client cannot keep the kubelet's or Prometheus's requests waiting. Only
 * GET (and HEAD) are answered.
 */
public final class MetricsServer implements AutoCloseable {
  /** Threads answering requests: a scrape and a probe at once, and a few stalled clients. */
  static final int THREADS = 4;

  /** Seconds a client may take to send its request, and to take the response. */
  static final long REQUEST_SECONDS = 10;

  static {
    // The JDK's HttpServer reads these once, when its first server is created in this JVM: a
    // request not read completely (or a response not taken) in time has its connection closed.
    setIfAbsent("sun.net.httpserver.maxReqTime", REQUEST_SECONDS);
    setIfAbsent("sun.net.httpserver.maxRspTime", REQUEST_SECONDS);
  }

  private final HttpServer server;
  private final ExecutorService executor;

  public MetricsServer(InetSocketAddress bind, AgentMetrics metrics, BooleanSupplier healthy)
      throws IOException {
    server = HttpServer.create(bind, 16);
    server.createContext(
        "/metrics",
        ex -> {
          if (allowed(ex)) {
            respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
          }
        });
    server.createContext(
        "/healthz",
        ex -> {
          if (allowed(ex)) {
            boolean ok = healthy.getAsBoolean();
            respond(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "reconcile failing\n");
          }
        });
    executor = Executors.newFixedThreadPool(THREADS, DaemonThreads.numbered("metrics-http"));
    server.setExecutor(executor);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static boolean allowed(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", "GET, HEAD");
    ex.sendResponseHeaders(405, -1);
    ex.close();
    return false;
  }

  private static void respond(HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(code, head ? -1 : bytes.length);
    try (var out = ex.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  private static void setIfAbsent(String property, long value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Long.toString(value));
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
