package io.tunnelier.e2e.bench;

import io.tunnelier.e2e.bench.DatapathBenchmark.PathResult;
import io.tunnelier.e2e.bench.DatapathBenchmark.Run;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The datapath suite's output: the table of medians (min–max), each Tunnelier figure as a ratio to
 * each anchor measured in the same round (median and spread over the rounds), issue 21's targets
 * beside what was measured, and the CSV files the chart is drawn from.
 */
final class DatapathReport {
  private static final List<String> ANCHORS =
      List.of("veth", "vxlan", "wg-go-debian", "wg-go-current");

  private DatapathReport() {}

  static void print(
      PrintStream out,
      List<PathResult> results,
      List<Integer> streams,
      int seconds,
      int runs,
      int pings) {
    out.printf(
        Locale.ROOT,
        "DATAPATH  iperf3 TCP %d s x %d runs per stream count; ping RTT of %d; median (min–max);"
            + " %d cores%n",
        seconds,
        runs,
        pings,
        HostCpu.cores());
    StringBuilder header =
        new StringBuilder(String.format(Locale.ROOT, "%-36s %5s", "path", "MTU"));
    for (int s : streams) {
      header.append(
          String.format(Locale.ROOT, "  %-22s", s + (s == 1 ? " stream" : " streams") + " Gbit/s"));
    }
    header.append(
        String.format(
            Locale.ROOT,
            "  %-22s  %-19s  %-19s  %s",
            "RTT ms",
            "CPU-s/GB datapath",
            "CPU-s/GB host",
            "load 1/5/15 before -> after"));
    out.println(header);
    int first = streams.get(0);
    for (PathResult r : results) {
      if (!r.measured()) {
        out.printf(
            Locale.ROOT,
            "%-36s %5s  %s%n",
            r.spec.label(),
            "",
            r.skipped == null ? "not run" : r.skipped);
        continue;
      }
      StringBuilder line =
          new StringBuilder(String.format(Locale.ROOT, "%-36s %5d", r.spec.label(), r.mtu));
      for (int s : streams) {
        line.append(String.format(Locale.ROOT, "  %-22s", r.throughput(s).format(2)));
      }
      line.append(
          String.format(
              Locale.ROOT,
              "  %-22s  %-19s  %-19s  %s -> %s",
              r.rtt().format(3),
              r.datapathCpuPerGb(first).format(2),
              r.hostCpuPerGb(first).format(2),
              r.loadBefore,
              r.loadAfter));
      out.println(line);
    }
    out.printf(
        Locale.ROOT,
        "(CPU-s/GB at %d stream%s: datapath = the tunnel's own processes on both ends; host = every"
            + " CPU of the machine, so other load inflates it)%n",
        first,
        first == 1 ? "" : "s");
    printRatios(out, results, streams);
    printTargets(out, results, streams);
  }

  private static void printRatios(
      PrintStream out, List<PathResult> results, List<Integer> streams) {
    List<PathResult> anchors =
        results.stream().filter(r -> r.spec.anchor() && r.measured()).toList();
    PathResult veth = find(results, "veth");
    out.println();
    StringBuilder header =
        new StringBuilder(
            String.format(Locale.ROOT, "%-56s", "Tunnelier / anchor, per round: median (min–max)"));
    for (PathResult a : anchors) {
      header.append(String.format(Locale.ROOT, "  %-30s", "vs " + a.spec.label()));
    }
    out.println(header);
    for (PathResult t : results) {
      if (t.spec.anchor() || !t.measured()) {
        continue;
      }
      for (int s : streams) {
        ratioLine(
            out,
            t.spec.label() + ", " + s + (s == 1 ? " stream" : " streams"),
            anchors,
            a -> fmtRatios(ratios(t, a, s, Run::gbps)));
      }
      ratioLine(
          out,
          t.spec.label() + ", CPU-s/GB host (lower: better)",
          anchors,
          a -> fmtRatios(ratios(t, a, streams.get(0), r -> r.hostCpu() / r.gigabytes())));
      if (veth != null && veth.measured()) {
        double added = t.rtt().median() - veth.rtt().median();
        ratioLine(
            out,
            t.spec.label() + ", RTT added over veth ms",
            anchors,
            a ->
                String.format(
                    Locale.ROOT, "%+.3f vs %+.3f", added, a.rtt().median() - veth.rtt().median()));
      }
    }
  }

  private static void ratioLine(
      PrintStream out, String what, List<PathResult> anchors, Function<PathResult, String> cell) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-56s", what));
    for (PathResult a : anchors) {
      line.append(String.format(Locale.ROOT, "  %-30s", cell.apply(a)));
    }
    out.println(line);
  }

  private static void printTargets(
      PrintStream out, List<PathResult> results, List<Integer> streams) {
    out.println();
    out.printf(
        Locale.ROOT, "%-52s  %-58s  %s%n", "DATAPATH TARGET", "measured (medians)", "verdict");
    PathResult wg = find(results, "wireguard");
    PathResult debian = find(results, "wg-go-debian");
    PathResult current = find(results, "wg-go-current");
    PathResult vxlan = find(results, "vxlan");
    PathResult veth = find(results, "veth");
    // Issue 21's targets, each from the per-round ratios (both paths measured in the same round).
    ratioTarget(
        out,
        "Tunnelier WireGuard >= 1.5x the current wireguard-go",
        wg,
        current,
        Run::gbps,
        1.5,
        true,
        streams);
    ratioTarget(
        out,
        "WireGuard datapath CPU-s/GB <= 0.67x wireguard-go's",
        wg,
        current,
        r -> r.datapathCpu() / r.gigabytes(),
        0.67,
        false,
        streams);
    ratioTarget(
        out,
        "Tunnelier GRE-in-UDP >= 0.8x kernel VXLAN",
        find(results, "gre-udp"),
        vxlan,
        Run::gbps,
        0.8,
        true,
        streams);
    ratioTarget(
        out,
        "Tunnelier GRE (raw IP) >= 0.5x kernel VXLAN",
        find(results, "gre-raw"),
        vxlan,
        Run::gbps,
        0.5,
        true,
        streams);
    PathResult reference = current != null && current.measured() ? current : debian;
    for (String id : List.of("gre-raw", "gre-udp", "wireguard")) {
      PathResult t = find(results, id);
      String what = "added RTT: " + (t == null ? id : t.spec.label()) + " <= wireguard-go's";
      if (t == null
          || !t.measured()
          || reference == null
          || !reference.measured()
          || veth == null
          || !veth.measured()) {
        out.printf(Locale.ROOT, "%-52s  %-58s  %s%n", what, "-", "not measured");
        continue;
      }
      double added = t.rtt().median() - veth.rtt().median();
      double ref = reference.rtt().median() - veth.rtt().median();
      out.printf(
          Locale.ROOT,
          "%-52s  %-58s  %s%n",
          what,
          String.format(
              Locale.ROOT, "%+.3f ms vs %+.3f ms (%s)", added, ref, reference.spec.label()),
          added <= ref ? "met" : "MISSED");
    }
  }

  /**
   * A target on the ratio of a figure of {@code t} to the same of {@code anchor}: the median of the
   * per-round ratios at each stream count, at least {@code factor} ({@code atLeast}) or at most.
   */
  private static void ratioTarget(
      PrintStream out,
      String what,
      PathResult t,
      PathResult anchor,
      java.util.function.ToDoubleFunction<Run> figure,
      double factor,
      boolean atLeast,
      List<Integer> streams) {
    if (t == null || anchor == null || !t.measured() || !anchor.measured()) {
      out.printf(Locale.ROOT, "%-52s  %-58s  %s%n", what, "-", "not measured");
      return;
    }
    List<String> parts = new ArrayList<>();
    boolean met = true;
    for (int s : streams) {
      Samples r = ratios(t, anchor, s, figure);
      double median = r.median();
      met &= atLeast ? median >= factor : median <= factor;
      parts.add(String.format(Locale.ROOT, "%d st %s", s, fmtRatios(r)));
    }
    out.printf(
        Locale.ROOT, "%-52s  %-58s  %s%n", what, String.join("; ", parts), met ? "met" : "MISSED");
  }

  /**
   * Per round, {@code t}'s figure over the anchor's in the same round (rounds where both were
   * measured): the ratio does not depend on when in the suite each path ran.
   */
  static Samples ratios(
      PathResult t,
      PathResult anchor,
      int streams,
      java.util.function.ToDoubleFunction<Run> figure) {
    List<Double> out = new ArrayList<>();
    for (Run r : t.runs.getOrDefault(streams, List.of())) {
      anchor
          .run(streams, r.run())
          .ifPresent(a -> out.add(figure.applyAsDouble(r) / figure.applyAsDouble(a)));
    }
    return Samples.of(out);
  }

  /** {@code 0.83x (0.79–0.90x)}, or {@code -}. */
  private static String fmtRatios(Samples r) {
    if (r.isEmpty() || Double.isNaN(r.median()) || Double.isInfinite(r.median())) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2fx (%.2f–%.2fx)", r.median(), r.min(), r.max());
  }

  private static PathResult find(List<PathResult> results, String id) {
    return results.stream().filter(r -> r.spec.id().equals(id)).findFirst().orElse(null);
  }

  /** datapath.csv (one line per row and stream count) and datapath-runs.csv (every transfer). */
  static void writeCsv(Path dir, List<PathResult> results, List<Integer> streams)
      throws IOException {
    List<String> summary = new ArrayList<>();
    summary.add(
        "path,label,anchor,mtu,streams,gbit_s_median,gbit_s_min,gbit_s_max,"
            + "datapath_cpu_s_per_gb_median,datapath_cpu_s_per_gb_min,datapath_cpu_s_per_gb_max,"
            + "process_cpu_s_per_gb_median,host_cpu_s_per_gb_median,host_cpu_s_per_gb_min,host_cpu_s_per_gb_max,"
            + "rtt_ms_median,rtt_ms_min,rtt_ms_max,load_before,load_after,skipped");
    List<String> runs = new ArrayList<>();
    runs.add(
        "path,streams,run,gbit_s,gigabytes,datapath_cpu_s,process_cpu_s,host_cpu_s,load1_before,load1_after");
    for (PathResult r : results) {
      if (!r.measured()) {
        summary.add(
            csv(
                r.spec.id(),
                r.spec.label(),
                r.spec.anchor(),
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                r.skipped == null ? "not run" : r.skipped));
        continue;
      }
      for (int s : streams) {
        if (!r.runs.containsKey(s)) {
          continue;
        }
        Samples t = r.throughput(s);
        Samples d = r.datapathCpuPerGb(s);
        Samples h = r.hostCpuPerGb(s);
        Samples rtt = r.rtt();
        summary.add(
            csv(
                r.spec.id(),
                r.spec.label(),
                r.spec.anchor(),
                r.mtu,
                s,
                num(t.median()),
                num(t.min()),
                num(t.max()),
                num(d.median()),
                num(d.min()),
                num(d.max()),
                num(r.processCpuPerGb(s).median()),
                num(h.median()),
                num(h.min()),
                num(h.max()),
                num(rtt.median()),
                num(rtt.min()),
                num(rtt.max()),
                r.loadBefore,
                r.loadAfter,
                ""));
        for (Run run : r.runs.get(s)) {
          runs.add(
              csv(
                  run.path(),
                  run.streams(),
                  run.run(),
                  num(run.gbps()),
                  num(run.gigabytes()),
                  num(run.datapathCpu()),
                  num(run.processCpu()),
                  num(run.hostCpu()),
                  num(run.load1Before()),
                  num(run.load1After())));
        }
      }
    }
    Files.write(dir.resolve("datapath.csv"), summary);
    Files.write(dir.resolve("datapath-runs.csv"), runs);
  }

  static String num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  static String csv(Object... cells) {
    List<String> out = new ArrayList<>();
    for (Object c : cells) {
      String s = String.valueOf(c);
      out.add(s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
    }
    return String.join(",", out);
  }
}
