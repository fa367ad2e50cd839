package io.tunnelier.e2e.bench;

import io.tunnelier.agent.lab.Lab;
import io.tunnelier.e2e.controlplane.ControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The control-plane suite (docs/benchmarks.md): the agent's nftables code with 10,000 selected pods
 * on the real kernel, then Tunnelier on a lab cluster against the real API server: Tunnel created →
 * first packet through the VPS, many Tunnels at once → all Ready, steady-state RSS. Prints each
 * figure next to its target and writes {@code controlplane.csv}. Asserts nothing. Run it with
 * {@code e2e/bin/bench}.
 *
 * <pre>
 * ControlPlaneBenchmark --out DIR [--create-runs 20] [--tunnels 200] [--pods 10000]
 *     [--nft-runs 5] [--increments 20] [--settle-seconds 30] [--steady-seconds 90]
 *     [--skip nft,cluster] [--nmt false] [--profile true] [--agent-jvm "FLAGS"]
 *     [--operator-jvm "FLAGS"]
 * </pre>
 *
 * <p>{@code --agent-jvm} and {@code --operator-jvm} add JVM flags after the images' own (later
 * flags win), to measure another setting against the same script.
 */
public final class ControlPlaneBenchmark {
  private static final double MIB = 1024 * 1024;

  private ControlPlaneBenchmark() {}

  /** One printed and CSV line: what, the measured figure, the target, met or not. */
  record Line(
      String measure, String result, String target, Boolean met, double value, String unit) {}

  static List<String> flags(String text) {
    return text == null || text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
  }

  public static void main(String[] argv) throws Exception {
    DatapathBenchmark.quietLogs();
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    Path out = Path.of(a.getOrDefault("out", "e2e/results/controlplane"));
    int createRuns = Integer.parseInt(a.getOrDefault("create-runs", "20"));
    int tunnels = Integer.parseInt(a.getOrDefault("tunnels", "200"));
    int pods = Integer.parseInt(a.getOrDefault("pods", "10000"));
    int nftRuns = Integer.parseInt(a.getOrDefault("nft-runs", "5"));
    int increments = Integer.parseInt(a.getOrDefault("increments", "20"));
    Duration settle = Duration.ofSeconds(Long.parseLong(a.getOrDefault("settle-seconds", "30")));
    List<String> skip = List.of(a.getOrDefault("skip", "").split(","));
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.err.println("control-plane benchmark cannot run: " + reason);
      System.exit(2);
    }
    Files.createDirectories(out);
    String loadBefore = HostCpu.loadAverage();
    List<Line> lines = new ArrayList<>();

    if (!skip.contains("nft")) {
      DatapathBenchmark.log(
          "nftables: %d pods, %d full passes, %d one-pod increments", pods, nftRuns, increments);
      String load = HostCpu.loadAverage();
      NftBenchmark.Result n = NftBenchmark.run(pods, nftRuns, increments);
      lines.add(
          new Line(
              String.format(Locale.ROOT, "%,d pod IPs into nftables, one transaction", pods),
              String.format(
                  Locale.ROOT,
                  "pass %s ms (nft -f alone %s ms; %d runs)",
                  n.fullPass().format(0),
                  n.fullTransaction().format(0),
                  nftRuns),
              "<= 500 ms",
              n.fullPass().median() <= 500,
              n.fullPass().median(),
              "ms"));
      lines.add(
          new Line(
              String.format(Locale.ROOT, "one pod added to a %,d-pod selection", pods),
              String.format(
                  Locale.ROOT,
                  "p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d runs; element update)",
                  n.onePod().median(),
                  n.onePod().percentile(0.95),
                  n.onePod().max(),
                  increments),
              "<= 20 ms",
              n.onePod().median() <= 20,
              n.onePod().median(),
              "ms"));
      DatapathBenchmark.log("nftables done (load %s -> %s)", load, HostCpu.loadAverage());
    }

    if (!skip.contains("cluster")) {
      DatapathBenchmark.log("control plane: starting kube-apiserver and etcd");
      if (a.containsKey("agent-jvm") || a.containsKey("operator-jvm")) {
        DatapathBenchmark.log(
            "extra JVM flags: agents [%s], operator [%s]",
            a.getOrDefault("agent-jvm", ""), a.getOrDefault("operator-jvm", ""));
      }
      try (ControlPlane controlPlane = ControlPlane.start()) {
        ClusterBenchmark.Result r =
            ClusterBenchmark.run(
                controlPlane,
                createRuns,
                tunnels,
                settle,
                Boolean.parseBoolean(a.getOrDefault("nmt", "true")),
                flags(a.get("agent-jvm")),
                flags(a.get("operator-jvm")),
                out.resolve("memory"),
                Boolean.parseBoolean(a.getOrDefault("profile", "false"))
                    ? out.resolve("profile")
                    : null,
                Duration.ofSeconds(
                    Long.parseLong(
                        a.getOrDefault(
                            "steady-seconds", "" + ClusterBenchmark.STEADY.toSeconds()))));
        Samples first =
            Samples.of(
                r.createRuns().stream().map(ClusterBenchmark.CreateRun::firstPacketMs).toList());
        Samples secret =
            Samples.of(r.createRuns().stream().map(ClusterBenchmark.CreateRun::secretMs).toList());
        lines.add(
            new Line(
                "Tunnel created -> first packet through the VPS",
                String.format(
                    Locale.ROOT,
                    "p50 %.2f s, p95 %.2f s (%d runs; peer-config Secret p50 %.2f s)",
                    first.median() / 1000,
                    first.percentile(0.95) / 1000,
                    r.createRuns().size(),
                    secret.median() / 1000),
                "p50 <= 2 s",
                first.median() <= 2000,
                first.median() / 1000,
                "s"));
        lines.add(
            new Line(
                r.tunnels() + " Tunnels created at once -> all Ready",
                r.readyCount() == r.tunnels()
                    ? String.format(
                        Locale.ROOT,
                        "%.1f s (creates sent in %.1f s; p50 of each Ready %.1f s)",
                        r.allReadyMs() / 1000,
                        r.createsSentMs() / 1000,
                        r.readyMs().median() / 1000)
                    : String.format(Locale.ROOT, "only %d Ready after 300 s", r.readyCount()),
                "<= 30 s",
                r.readyCount() == r.tunnels() && r.allReadyMs() <= 30_000,
                r.allReadyMs() / 1000,
                "s"));
        rssLines(lines, r.rssOneTunnel(), r.memoryOneTunnel(), "1 Tunnel", false);
        lines.add(
            new Line(
                "API requests per Tunnel until all were Ready (operator + agents)",
                r.requests() == null
                    ? "not counted (no audit log)"
                    : String.format(
                        Locale.ROOT,
                        "%.1f (%d requests; by call in the log above)",
                        r.requests().total() / (double) r.tunnels(),
                        r.requests().total()),
                "cut (issue 21: about 19)",
                null,
                r.requests() == null ? Double.NaN : r.requests().total() / (double) r.tunnels(),
                "requests"));
        rssLines(lines, r.rssMany(), r.memoryMany(), (r.tunnels() + 1) + " Tunnels", true);
      }
    }
    String loadAfter = HostCpu.loadAverage();
    print(lines, loadBefore, loadAfter);
    write(out.resolve("controlplane.csv"), lines, loadBefore, loadAfter);
  }

  /**
   * RSS against issue 21's targets (MiB; the agents' are the gateway's, the member is held to the
   * same), with the process's NMT categories and thread count beside it when measured.
   */
  private static void rssLines(
      List<Line> lines,
      Map<String, Long> rss,
      Map<String, String> memory,
      String with,
      boolean many) {
    rss.forEach(
        (who, bytes) -> {
          double limit =
              who.equals("operator")
                  ? 200
                  : who.contains("standalone") ? (many ? 128 : 80) : (many ? 160 : 96);
          String note = memory.containsKey(who) ? " [" + memory.get(who) + "]" : "";
          lines.add(
              new Line(
                  who + " RSS, steady, " + with,
                  String.format(Locale.ROOT, "%.0f MiB%s", bytes / MIB, note),
                  String.format(Locale.ROOT, "<= %.0f MiB", limit),
                  bytes / MIB <= limit,
                  bytes / MIB,
                  "MiB"));
        });
  }

  static void print(List<Line> lines, String loadBefore, String loadAfter) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "CONTROL PLANE  real kube-apiserver + etcd, lab nodes; images' JVM flags under a 512Mi limit;"
            + " load %s -> %s on %d cores%n",
        loadBefore,
        loadAfter,
        HostCpu.cores());
    System.out.printf(
        Locale.ROOT, "%-52s  %-66s  %-12s  %s%n", "measure", "result", "target", "verdict");
    for (Line l : lines) {
      System.out.printf(
          Locale.ROOT,
          "%-52s  %-66s  %-12s  %s%n",
          l.measure(),
          l.result(),
          l.target(),
          l.met() == null ? "-" : l.met() ? "met" : "MISSED");
    }
  }

  private static void write(Path file, List<Line> lines, String loadBefore, String loadAfter)
      throws java.io.IOException {
    List<String> csv = new ArrayList<>();
    csv.add("measure,value,unit,result,target,verdict,load_before,load_after");
    for (Line l : lines) {
      csv.add(
          DatapathReport.csv(
              l.measure(),
              DatapathReport.num(l.value()),
              l.unit(),
              l.result(),
              l.target(),
              l.met() == null ? "" : l.met() ? "met" : "missed",
              loadBefore,
              loadAfter));
    }
    Files.write(file, csv);
  }
}
