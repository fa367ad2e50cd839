package io.tunnelier.api.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Plain-text endpoints on the JDK's HttpServer, for probes and scrapes: each path answers what its
 * route returns (a path also answers the paths below it, as the JDK's contexts do; any other gets
 * 404). Answers on a small pool of {@link #THREADS} threads, and a client that does not finish
 * sending its request (or reading the answer) within {@link #REQUEST_SECONDS} is cut off, so a slow
 * or stalled client cannot keep the kubelet's or Prometheus's requests waiting. Only GET and HEAD
 * are answered (anything else gets 405).
 */
public final class PlainTextServer implements AutoCloseable {
  /** Prometheus's text exposition format. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Threads answering requests: a scrape and a probe at once, and a few stalled clients. */
  public static final int THREADS = 4;

  /** Seconds a client may take to send its request, and to take the response. */
  public static final long REQUEST_SECONDS = 10;

  private static final int BACKLOG = 16;

  static {
    // The JDK's HttpServer reads these once, when its first server is created in this JVM: a
    // request not read completely (or a response not taken) in time has its connection closed.
    setIfAbsent("sun.net.httpserver.maxReqTime", REQUEST_SECONDS);
    setIfAbsent("sun.net.httpserver.maxRspTime", REQUEST_SECONDS);
  }

  /** What a route answers: a status code, a content type and a body (UTF-8). */
  public record Response(int status, String contentType, String body) {}

  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * Listens on {@code bind} (port 0: any free port) and starts answering.
   *
   * @param threadName prefix of the pool's thread names ({@code threadName-1}, …)
   * @param routes the route of each path
   * @throws IOException when it cannot listen on {@code bind}
   */
  public PlainTextServer(
      InetSocketAddress bind, String threadName, Map<String, Supplier<Response>> routes)
      throws IOException {
    server = HttpServer.create(bind, BACKLOG);
    routes.forEach((path, route) -> server.createContext(path, ex -> answer(ex, route)));
    executor = Executors.newFixedThreadPool(THREADS, daemonThreads(threadName));
    server.setExecutor(executor);
    server.start();
  }

  /** The address actually bound (with the port chosen for port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange ex, Supplier<Response> route) throws IOException {
    String method = ex.getRequestMethod();
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      ex.sendResponseHeaders(405, -1);
      ex.close();
      return;
    }
    Response response = route.get();
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", response.contentType());
    // -1: no body (0 would mean chunked).
    ex.sendResponseHeaders(response.status(), head || bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
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
