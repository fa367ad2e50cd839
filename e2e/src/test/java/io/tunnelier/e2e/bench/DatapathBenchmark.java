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
 * run with the same method (see docs/benchmarks.md), in {@code --runs} rounds that take every path
 * in turn (the order reversed every other round): each opened, warmed up, then iperf3 TCP for
 * {@code --seconds} with 1 and 4 streams, a share of {@code --pings} pings, closed; CPU time of the
 * datapath processes and of the whole host per GB moved; the load average before and after every
 * transfer. Prints the table of medians (min–max), each Tunnelier path's per-round ratio to every
 * anchor (median and spread) and the targets, and writes CSV files into {@code --out}. Asserts
 * nothing. Run it with {@code e2e/bin/bench}.
 *
 * <pre>
 * DatapathBenchmark --out DIR [--seconds 10] [--runs 3] [--streams 1,4] [--pings 50]
 *     [--paths veth,vxlan,wg-go-debian,wg-go-current,gre-raw,gre-udp,wireguard]
 *     [--wireguard-go PATH] [--profile] [--agent-jvm "FLAGS"]
 * </pre>
 *
 * {@code --agent-jvm} adds JVM flags after the agent image's own (later flags win) to every
 * Tunnelier datapath process, to measure another setting against the same script. {@code --profile}
 * records every Tunnelier datapath process with JFR ({@code <out>/profile/}) and prints where its
 * CPU samples fall.
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
    // Per stream count: CPU ticks (user, system) by thread name, over every round; GB moved.
    final Map<Integer, Map<String, long[]>> threadTicks = new LinkedHashMap<>();
    final Map<Integer, Double> movedGb = new LinkedHashMap<>();
    List<Double> rtts = new ArrayList<>();
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

    /** This row's run {@code round} at {@code streams}, if it was measured. */
    java.util.Optional<Run> run(int streams, int round) {
      return runs.getOrDefault(streams, List.of()).stream()
          .filter(r -> r.run() == round)
          .findFirst();
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
      boolean profile,
      List<String> agentJvm) {
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
          Boolean.parseBoolean(a.getOrDefault("profile", "false")),
          ControlPlaneBenchmark.flags(a.get("agent-jvm")));
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
          opts.addAll(o.agentJvm());
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
    if (!o.agentJvm().isEmpty()) {
      log("extra JVM flags of the Tunnelier datapaths: %s", String.join(" ", o.agentJvm()));
    }
    try (Lab lab = Lab.create()) {
      Netns a = lab.netns("a");
      Netns b = lab.netns("b");
      lab.veth(
          a, "eth0", DatapathPaths.A_UNDERLAY + "/24", b, "eth0", DatapathPaths.B_UNDERLAY + "/24");
      Process server =
          b.spawn(work.resolve("iperf3-server.log").toFile(), "iperf3", "-s", "-p", "5201");
      LabJava.sleep(300);
      DatapathPaths.Context context = new DatapathPaths.Context(a, b, work, jvm);
      for (PathResult result : results) {
        if (result.spec.unavailable() != null) {
          result.skipped = result.spec.unavailable();
          log("%s: skipped: %s", result.spec.label(), result.skipped);
        }
      }
      // Rounds, each path once per round, the order reversed every other round (A B C, C B A):
      // drift of the machine over the suite (other load, thermal, the page cache) then spreads
      // over every path instead of favouring the ones measured first, and each round's ratios
      // compare paths measured minutes apart, not a quarter of an hour.
      for (int round = 1; round <= o.runs(); round++) {
        List<PathResult> order = new ArrayList<>(results);
        if (round % 2 == 0) {
          java.util.Collections.reverse(order);
        }
        int index = 0;
        for (PathResult result : order) {
          index++;
          if (result.skipped != null) {
            continue;
          }
          String tag =
              "[round "
                  + round
                  + "/"
                  + o.runs()
                  + ", "
                  + index
                  + "/"
                  + order.size()
                  + "] "
                  + result.spec.label();
          try {
            measure(result, context, server, o, tag, round);
          } catch (Exception | Error e) {
            result.skipped = "failed: " + e.getMessage().lines().findFirst().orElse("");
            log("%s: FAILED: %s", tag, e.getMessage());
          }
        }
        DatapathReport.writeCsv(o.out(), results, o.streams());
      }
      for (PathResult result : results) {
        result.threadTicks.forEach(
            (streams, ticks) ->
                printThreads(
                    result.spec.label() + ", " + streams + " stream(s), all rounds",
                    ticks,
                    result.movedGb.getOrDefault(streams, 0.0)));
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

  /** One round of one path: opened, warmed up, one transfer per stream count, pings, closed. */
  private static void measure(
      PathResult result, DatapathPaths.Context c, Process server, Options o, String tag, int round)
      throws Exception {
    log("%s: opening", tag);
    if (round == 1) {
      result.loadBefore = HostCpu.loadAverage();
    }
    DatapathPaths.Open open = result.spec.opener().open(c);
    try {
      result.mtu = open.mtu();
      Probes.awaitReachable(c.a(), open.target(), Duration.ofSeconds(30));
      // Warm-up: ARP, handshakes, and the JIT compiling the packet loops of Java datapaths.
      Probes.iperf(c.a(), open.target(), 3, 1);
      for (int streams : o.streams()) {
        List<Map<String, long[]>> threadsBefore = threadTicks(open.processes());
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
                round,
                t.gbitPerSecond(),
                t.bytes() / 1e9,
                datapath,
                datapath + serverCpu + t.clientCpuSeconds(),
                host,
                load1Before,
                HostCpu.load1());
        result.runs.computeIfAbsent(streams, k -> new ArrayList<>()).add(run);
        result.movedGb.merge(streams, run.gigabytes(), Double::sum);
        addThreadTicks(
            result.threadTicks.computeIfAbsent(streams, k -> new java.util.TreeMap<>()),
            threadsBefore,
            threadTicks(open.processes()));
        log(
            "%s: %d stream%s: %.2f Gbit/s, datapath %.2f CPU-s/GB, host %.2f CPU-s/GB"
                + " (load %.2f -> %.2f)",
            tag,
            streams,
            streams == 1 ? "" : "s",
            run.gbps(),
            run.datapathCpu() / run.gigabytes(),
            run.hostCpu() / run.gigabytes(),
            run.load1Before(),
            run.load1After());
      }
      List<Double> rtts = Probes.ping(c.a(), open.target(), Math.max(10, o.pings() / o.runs()));
      result.rtts.addAll(rtts);
      result.loadAfter = HostCpu.loadAverage();
      log("%s: RTT %s ms over %d pings", tag, Samples.of(rtts).format(3), rtts.size());
    } finally {
      open.teardown().run();
    }
  }

  /**
   * Adds each thread's ticks between {@code before} and {@code after} (one map per process, the
   * ends told apart by a prefix) to {@code into}.
   */
  private static void addThreadTicks(
      Map<String, long[]> into, List<Map<String, long[]>> before, List<Map<String, long[]>> after) {
    String[] ends = {"b", "a"};
    for (int i = 0; i < after.size(); i++) {
      String end = i < ends.length ? ends[i] : String.valueOf(i);
      for (Map.Entry<String, long[]> e : after.get(i).entrySet()) {
        long[] was = before.get(i).getOrDefault(e.getKey(), new long[2]);
        long[] sum = into.computeIfAbsent(end + ": " + e.getKey(), k -> new long[2]);
        sum[0] += e.getValue()[0] - was[0];
        sum[1] += e.getValue()[1] - was[1];
      }
    }
  }

  private static List<Map<String, long[]>> threadTicks(List<Process> processes) {
    List<Map<String, long[]>> out = new ArrayList<>();
    for (Process p : processes) {
      out.add(HostCpu.threadTicks(p.pid()));
    }
    return out;
  }

  /**
   * Per datapath thread (b: the receiving end, a: the sending end): user and system CPU seconds per
   * GB moved, the busy ones.
   */
  private static void printThreads(String tag, Map<String, long[]> ticks, double gb) {
    if (ticks.isEmpty() || gb <= 0) {
      return;
    }
    StringBuilder b = new StringBuilder();
    ticks.forEach(
        (thread, t) -> {
          double user = t[0] / HostCpu.TICKS_PER_SECOND / gb;
          double sys = t[1] / HostCpu.TICKS_PER_SECOND / gb;
          if (user + sys >= 0.02) {
            b.append(String.format(Locale.ROOT, "  %s user %.2f sys %.2f;", thread, user, sys));
          }
        });
    log("%s: CPU-s/GB by thread:%s", tag, b);
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
