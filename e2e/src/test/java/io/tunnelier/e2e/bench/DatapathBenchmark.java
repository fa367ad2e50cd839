package io.tunnelier.e2e.bench;

import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The datapath suite: every way across two lab namespaces joined by one veth pair, measured in one
 * run with the same method (see docs/benchmarks.md): iperf3 TCP, 1 and 4 streams, {@code --runs}
 * repetitions of {@code --seconds}, after a short warm-up; then {@code --pings} pings; CPU time of
 * the datapath processes and of the whole host per GB moved; the load average before and after
 * every transfer. Prints the table of medians (min–max), the ratios to every anchor and the
 * targets, and writes CSV files into {@code --out}. Asserts nothing. Run it with {@code
 * e2e/bin/bench}.
 *
 * <pre>
 * DatapathBenchmark --out DIR [--seconds 10] [--runs 3] [--streams 1,4] [--pings 50]
 *     [--paths veth,vxlan,wg-go-debian,wg-go-current,gre-raw,gre-udp,wireguard]
 *     [--wireguard-go PATH] [--profile]
 * </pre>
 *
 * {@code --profile} records every Tunnelier datapath process with JFR ({@code <out>/profile/}) and
 * prints where its CPU samples fall.
 */
public final class DatapathBenchmark {
  /** One transfer of one row. CPU figures are seconds over the transfer. */
  record Run(
      String path,
      int streams,
      int run,
      double gbps,
      double gigabytes,
      double datapathCpu,
      double processCpu,
      double hostCpu,
      double load1Before,
      double load1After) {}

  /** Everything measured on one row. */
  static final class PathResult {
    final DatapathPaths.Spec spec;
    int mtu;
    final Map<Integer, List<Run>> runs = new LinkedHashMap<>();
    List<Double> rtts = List.of();
    String loadBefore = "";
    String loadAfter = "";
    String skipped;

    PathResult(DatapathPaths.Spec spec) {
      this.spec = spec;
    }

    boolean measured() {
      return skipped == null && !runs.isEmpty();
    }

    Samples throughput(int streams) {
      return Samples.of(runs.getOrDefault(streams, List.of()).stream().map(Run::gbps).toList());
    }

    Samples datapathCpuPerGb(int streams) {
      if (spec.id().equals("veth") || spec.id().equals("vxlan")) {
        return Samples.NONE; // kernel paths have no datapath process
      }
      return Samples.of(
          runs.getOrDefault(streams, List.of()).stream()
              .map(r -> r.datapathCpu() / r.gigabytes())
              .toList());
    }

    Samples processCpuPerGb(int streams) {
      return Samples.of(
          runs.getOrDefault(streams, List.of()).stream()
              .map(r -> r.processCpu() / r.gigabytes())
              .toList());
    }

    Samples hostCpuPerGb(int streams) {
      return Samples.of(
          runs.getOrDefault(streams, List.of()).stream()
              .map(r -> r.hostCpu() / r.gigabytes())
              .toList());
    }

    Samples rtt() {
      return Samples.of(rtts);
    }
  }

  record Options(
      Path out,
      int seconds,
      int runs,
      List<Integer> streams,
      int pings,
      List<String> paths,
      String wireguardGo,
      boolean profile) {
    static Options parse(String[] argv) {
      Map<String, String> a = new LinkedHashMap<>();
      for (int i = 0; i < argv.length; i++) {
        String k = argv[i].replaceFirst("^--", "");
        if (k.equals("profile")) {
          a.put(k, "true");
        } else {
          a.put(k, argv[++i]);
        }
      }
      return new Options(
          Path.of(a.getOrDefault("out", "e2e/results/datapath-" + Instant.now().getEpochSecond())),
          Integer.parseInt(a.getOrDefault("seconds", "10")),
          Integer.parseInt(a.getOrDefault("runs", "3")),
          Arrays.stream(a.getOrDefault("streams", "1,4").split(",")).map(Integer::valueOf).toList(),
          Integer.parseInt(a.getOrDefault("pings", "50")),
          a.containsKey("paths") ? List.of(a.get("paths").split(",")) : null,
          a.get("wireguard-go"),
          Boolean.parseBoolean(a.getOrDefault("profile", "false")));
    }
  }

  private DatapathBenchmark() {}

  public static void main(String[] argv) throws Exception {
    DatapathBenchmark.quietLogs();
    Options o = Options.parse(argv);
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.err.println("datapath benchmark cannot run: " + reason);
      System.exit(2);
    }
    Files.createDirectories(o.out());
    List<DatapathPaths.Spec> specs = new ArrayList<>();
    for (DatapathPaths.Spec s : DatapathPaths.all(o.wireguardGo())) {
      if (o.paths() == null || o.paths().contains(s.id())) {
        specs.add(s);
      }
    }
    List<PathResult> results = new ArrayList<>();
    specs.forEach(s -> results.add(new PathResult(s)));
    Path work = Files.createTempDirectory("tunnelier-bench-");
    Path profiles = o.out().resolve("profile");
    DatapathPaths.JvmOptions jvm =
        (row, end) -> {
          List<String> opts = new ArrayList<>(LabJava.AGENT_JVM);
          if (o.profile()) {
            opts.add(
                "-XX:StartFlightRecording=filename="
                    + profiles.resolve(row + "-" + end + ".jfr")
                    + ",settings=profile,dumponexit=true");
            // perf(1) can then name JIT-compiled frames (/tmp/perf-<pid>.map).
            opts.add("-XX:+UnlockDiagnosticVMOptions");
            opts.add("-XX:+DumpPerfMapAtExit");
          }
          return opts;
        };
    if (o.profile()) {
      Files.createDirectories(profiles);
    }
    long started = System.nanoTime();
    log(
        "datapath suite: %d rows x %s streams x %d runs x %d s; load %s on %d cores",
        specs.size(), o.streams(), o.runs(), o.seconds(), HostCpu.loadAverage(), HostCpu.cores());
    try (Lab lab = Lab.create()) {
      Netns a = lab.netns("a");
      Netns b = lab.netns("b");
      lab.veth(
          a, "eth0", DatapathPaths.A_UNDERLAY + "/24", b, "eth0", DatapathPaths.B_UNDERLAY + "/24");
      Process server =
          b.spawn(work.resolve("iperf3-server.log").toFile(), "iperf3", "-s", "-p", "5201");
      LabJava.sleep(300);
      DatapathPaths.Context context = new DatapathPaths.Context(a, b, work, jvm);
      int index = 0;
      for (PathResult result : results) {
        index++;
        String tag = "[" + index + "/" + results.size() + "] " + result.spec.label();
        if (result.spec.unavailable() != null) {
          result.skipped = result.spec.unavailable();
          log("%s: skipped: %s", tag, result.skipped);
          continue;
        }
        try {
          measure(result, context, server, o, tag);
        } catch (Exception | Error e) {
          result.skipped = "failed: " + e.getMessage().lines().findFirst().orElse("");
          log("%s: FAILED: %s", tag, e.getMessage());
        }
        DatapathReport.writeCsv(o.out(), results, o.streams());
      }
    } finally {
      DatapathPaths.deleteRecursively(work);
    }
    System.out.println();
    DatapathReport.print(System.out, results, o.streams(), o.seconds(), o.runs(), o.pings());
    DatapathReport.writeCsv(o.out(), results, o.streams());
    if (o.profile()) {
      JfrSummary.summarizeAll(profiles, System.out);
    }
    log(
        "datapath suite done in %d s; CSV in %s",
        (System.nanoTime() - started) / 1_000_000_000L, o.out());
  }

  private static void measure(
      PathResult result, DatapathPaths.Context c, Process server, Options o, String tag)
      throws Exception {
    log("%s: opening", tag);
    result.loadBefore = HostCpu.loadAverage();
    DatapathPaths.Open open = result.spec.opener().open(c);
    try {
      result.mtu = open.mtu();
      Probes.awaitReachable(c.a(), open.target(), Duration.ofSeconds(30));
      // Warm-up: ARP, handshakes, and the JIT compiling the packet loops of Java datapaths.
      Probes.iperf(c.a(), open.target(), 3, 1);
      for (int streams : o.streams()) {
        List<Map<String, long[]>> threadsBefore = threadTicks(open.processes());
        double moved = 0;
        List<Run> runs = new ArrayList<>();
        for (int r = 1; r <= o.runs(); r++) {
          double load1Before = HostCpu.load1();
          long datapathBefore = ticks(open.processes());
          long serverBefore = HostCpu.processTicks(server.pid());
          long hostBefore = HostCpu.hostBusyTicks();
          Probes.Transfer t = Probes.iperf(c.a(), open.target(), o.seconds(), streams);
          double datapath = (ticks(open.processes()) - datapathBefore) / HostCpu.TICKS_PER_SECOND;
          double serverCpu =
              (HostCpu.processTicks(server.pid()) - serverBefore) / HostCpu.TICKS_PER_SECOND;
          double host = (HostCpu.hostBusyTicks() - hostBefore) / HostCpu.TICKS_PER_SECOND;
          Run run =
              new Run(
                  result.spec.id(),
                  streams,
                  r,
                  t.gbitPerSecond(),
                  t.bytes() / 1e9,
                  datapath,
                  datapath + serverCpu + t.clientCpuSeconds(),
                  host,
                  load1Before,
                  HostCpu.load1());
          runs.add(run);
          moved += run.gigabytes();
          log(
              "%s: %d stream%s run %d: %.2f Gbit/s, datapath %.2f CPU-s/GB, host %.2f CPU-s/GB"
                  + " (load %.2f -> %.2f)",
              tag,
              streams,
              streams == 1 ? "" : "s",
              r,
              run.gbps(),
              run.datapathCpu() / run.gigabytes(),
              run.hostCpu() / run.gigabytes(),
              run.load1Before(),
              run.load1After());
        }
        result.runs.put(streams, runs);
        if (!open.processes().isEmpty()) {
          printThreads(
              tag + ", " + streams + " stream(s)",
              threadsBefore,
              threadTicks(open.processes()),
              moved);
        }
      }
      result.rtts = Probes.ping(c.a(), open.target(), o.pings());
      result.loadAfter = HostCpu.loadAverage();
      log(
          "%s: RTT %s ms over %d/%d pings",
          tag, result.rtt().format(3), result.rtts.size(), o.pings());
    } finally {
      open.teardown().run();
    }
  }

  private static List<Map<String, long[]>> threadTicks(List<Process> processes) {
    List<Map<String, long[]>> out = new ArrayList<>();
    for (Process p : processes) {
      out.add(HostCpu.threadTicks(p.pid()));
    }
    return out;
  }

  /** Per datapath thread: user and system CPU seconds per GB moved (the busy ones). */
  private static void printThreads(
      String tag, List<Map<String, long[]>> before, List<Map<String, long[]>> after, double gb) {
    String[] ends = {"b (receiver)", "a (sender)"};
    for (int i = 0; i < after.size(); i++) {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, long[]> e : after.get(i).entrySet()) {
        long[] was = before.get(i).getOrDefault(e.getKey(), new long[2]);
        double user = (e.getValue()[0] - was[0]) / HostCpu.TICKS_PER_SECOND / gb;
        double sys = (e.getValue()[1] - was[1]) / HostCpu.TICKS_PER_SECOND / gb;
        if (user + sys >= 0.02) {
          b.append(String.format(Locale.ROOT, "  %s user %.2f sys %.2f;", e.getKey(), user, sys));
        }
      }
      log("%s: end %s CPU-s/GB by thread:%s", tag, i < ends.length ? ends[i] : i, b);
    }
  }

  private static long ticks(List<Process> processes) {
    long sum = 0;
    for (Process p : processes) {
      sum += HostCpu.processTicks(p.pid());
    }
    return sum;
  }

  /** The benchmark prints its own progress; components' INFO logs would drown it. */
  static void quietLogs() {
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.tunnelier"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.javaoperatorsdk"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
  }

  static void log(String format, Object... args) {
    System.err.println(
        "[bench "
            + java.time.LocalTime.now().withNano(0)
            + "] "
            + String.format(Locale.ROOT, format, args));
  }
}
