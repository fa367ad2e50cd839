package io.tunnelier.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator's probes and metrics on a real socket (port 0): paths, codes, content types. */
class HealthServerIT {
  private static final String TEXT = "text/plain; charset=utf-8";
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private HealthServer server;

  @BeforeEach
  void start() {
    registry.counter("tunnelier_test_total").increment();
    server =
        new HealthServer(
            0,
            () -> true,
            () -> {
              if (!ready.get()) {
                throw new IllegalStateException("not started");
              }
              return true;
            },
            registry);
  }

  @AfterEach
  void stop() {
    server.close();
    registry.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesAnswerOkOrNotOk() throws Exception {
    HttpResponse<String> alive = get("/healthz");
    assertThat(alive.statusCode()).isEqualTo(200);
    assertThat(alive.headers().firstValue("Content-Type")).hasValue(TEXT);
    assertThat(alive.body()).isEqualTo("ok\n");

    // A check that throws counts as not ready.
    HttpResponse<String> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.headers().firstValue("Content-Type")).hasValue(TEXT);
    assertThat(notReady.body()).isEqualTo("not ok\n");
    ready.set(true);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsInPrometheusText() throws Exception {
    HttpResponse<String> scrape = get("/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(scrape.body()).contains("tunnelier_test_total");
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
  }
}
