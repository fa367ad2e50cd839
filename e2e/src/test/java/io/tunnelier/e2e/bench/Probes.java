package io.tunnelier.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Netns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** iperf3 and ping, run inside a lab namespace, bounded in time, parsed. */
final class Probes {
  static final int IPERF_PORT = 5201;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PING_TIME = Pattern.compile("time=([0-9.]+) ms");

  /**
   * One iperf3 TCP transfer as the server saw it.
   *
   * @param clientCpuSeconds user + system CPU of the iperf3 client (its own getrusage)
   */
  record Transfer(double gbitPerSecond, double bytes, double seconds, double clientCpuSeconds) {}

  private Probes() {}

  static Transfer iperf(Netns client, String target, int seconds, int streams) {
    Exec.Result r =
        client.exec(
            Duration.ofSeconds(seconds + 40),
            "iperf3",
            "-c",
            target,
            "-p",
            String.valueOf(IPERF_PORT),
            "-t",
            String.valueOf(seconds),
            "-P",
            String.valueOf(streams),
            "-J");
    JsonNode root;
    try {
      root = JSON.readTree(r.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException("iperf3 printed no JSON: " + r.stderr(), e);
    }
    if (root.has("error")) {
      throw new IllegalStateException("iperf3: " + root.get("error").asText());
    }
    JsonNode received = root.path("end").path("sum_received");
    double elapsed = received.path("seconds").asDouble(seconds);
    double cpuPercent =
        root.path("end").path("cpu_utilization_percent").path("host_total").asDouble();
    return new Transfer(
        received.path("bits_per_second").asDouble() / 1e9,
        received.path("bytes").asDouble(),
        elapsed,
        cpuPercent / 100 * elapsed);
  }

  /** Round-trip times in ms of {@code count} pings 20 ms apart; lost ones are missing. */
  static List<Double> ping(Netns from, String target, int count) {
    Exec.Result r =
        from.exec(
            Duration.ofSeconds(count / 10 + 30),
            "ping",
            "-n",
            "-c",
            String.valueOf(count),
            "-i",
            "0.02",
            "-W",
            "2",
            target);
    List<Double> rtts = new ArrayList<>();
    Matcher m = PING_TIME.matcher(r.stdout());
    while (m.find()) {
      rtts.add(Double.parseDouble(m.group(1)));
    }
    return rtts;
  }

  /** Pings until one answer comes back (ARP, a handshake), or throws after {@code timeout}. */
  static void awaitReachable(Netns from, String target, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (from.exec(Duration.ofSeconds(5), "ping", "-n", "-c", "1", "-W", "1", target).exitCode()
          == 0) {
        return;
      }
    }
    throw new IllegalStateException(target + " not reachable from " + from + " in " + timeout);
  }
}
