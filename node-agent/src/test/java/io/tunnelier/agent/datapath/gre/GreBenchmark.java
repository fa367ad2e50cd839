package io.tunnelier.agent.datapath.gre;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput and RTT of the userspace GRE tunnel next to kernel VXLAN, on the same two lab
 * namespaces joined by one veth pair (PERFORMANCE.md's method): iperf3 TCP, one stream, 10 s,
 * median of 3, after a 5 s warm-up run; ping RTT average of 20. Prints numbers and the target ratio
 * (GRE ≥ 0.5× kernel VXLAN); asserts nothing. Not a test: run it with {@code
 * e2e/bench/gre-benchmark.sh}.
 *
 * <p>Arguments: {@code [seconds] [runs] [paths...]} where paths are any of veth, vxlan, gre-raw,
 * gre-udp, gre-raw-plain, gre-udp-plain ("plain": without offloads, one system call per packet).
 */
public final class GreBenchmark {
  private static final Pattern BPS = Pattern.compile("\"bits_per_second\":\\s*([0-9.eE+]+)");
  private static final Pattern RTT = Pattern.compile("= ([0-9.]+)/([0-9.]+)/([0-9.]+)/");

  record Result(String path, int mtu, double[] gbps, double rttMs, double cpuSecondsPerGb) {
    double median() {
      double[] s = gbps.clone();
      Arrays.sort(s);
      return s[s.length / 2];
    }
  }

  public static void main(String[] args) throws Exception {
    Lab.assumeAvailable();
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> paths =
        args.length > 2
            ? List.of(args).subList(2, args.length)
            : List.of("veth", "vxlan", "gre-raw", "gre-udp", "gre-raw-plain", "gre-udp-plain");
    Path dir = Files.createTempDirectory("gre-bench");
    Map<String, Result> results = new LinkedHashMap<>();
    try (Lab lab = Lab.create()) {
      Netns a = lab.netns("a");
      Netns b = lab.netns("b");
      lab.veth(a, "eth0", "192.0.2.1/24", b, "eth0", "192.0.2.2/24");
      b.spawn(null, "iperf3", "-s", "-p", "5201");
      for (String path : paths) {
        results.put(path, measure(path, a, b, dir, seconds, runs));
        print(results);
      }
    }
    GreProcess.deleteRecursively(dir);
    System.out.println();
    print(results);
  }

  private static Result measure(String path, Netns a, Netns b, Path dir, int seconds, int runs)
      throws Exception {
    String target;
    int mtu;
    List<GreProcess> processes = new ArrayList<>();
    switch (path) {
      case "veth" -> {
        target = "192.0.2.2";
        mtu = 1500;
      }
      case "vxlan" -> {
        for (Netns[] pair : new Netns[][] {{a, b}, {b, a}}) {
          String local = pair[0] == a ? "192.0.2.1" : "192.0.2.2";
          String remote = pair[0] == a ? "192.0.2.2" : "192.0.2.1";
          pair[0].ip(
              "link add vx0 type vxlan id 42 local "
                  + local
                  + " remote "
                  + remote
                  + " dstport 4789 dev eth0");
          pair[0].ip("addr add 100.64.10." + (pair[0] == a ? 1 : 2) + "/30 dev vx0");
          pair[0].ip("link set vx0 up");
        }
        target = "100.64.10.2";
        mtu = 1450;
      }
      default -> {
        boolean udp = path.startsWith("gre-udp");
        boolean plain = path.endsWith("-plain");
        String mode = udp ? "udp" : "raw";
        String[] extra = plain ? new String[] {"--no-offloads"} : new String[0];
        processes.add(
            GreProcess.start(
                b,
                dir,
                List.of(
                    "device=tnl0,mode="
                        + mode
                        + ",local=192.0.2.2,key=4242,"
                        + "address=100.64.0.2/30"),
                extra));
        processes.add(
            GreProcess.start(
                a,
                dir,
                List.of(
                    "device=tnl0,mode="
                        + mode
                        + ",local=192.0.2.1,peer=192.0.2.2,key=4242,"
                        + "address=100.64.0.1/30"),
                extra));
        target = "100.64.0.2";
        mtu = Integer.parseInt(a.ip("-o link show tnl0").replaceAll(".* mtu (\\d+) .*\\s*", "$1"));
      }
    }
    try {
      a.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-W", "3", target); // ARP
      // Warm up: the JIT compiles the packet loops during the first seconds of load.
      a.exec(Duration.ofSeconds(40), "iperf3", "-c", target, "-p", "5201", "-t", "5");
      long cpuBefore = cpuTicks(processes);
      double[] gbps = new double[runs];
      double bytes = 0;
      for (int r = 0; r < runs; r++) {
        Exec.Result iperf =
            a.exec(
                Duration.ofSeconds(seconds + 30),
                "iperf3",
                "-c",
                target,
                "-p",
                "5201",
                "-t",
                String.valueOf(seconds),
                "-J");
        Matcher m = BPS.matcher(iperf.stdout().substring(iperf.stdout().indexOf("\"end\"")));
        double received = 0;
        while (m.find()) {
          received = Double.parseDouble(m.group(1)); // the last one: sum_received
        }
        gbps[r] = received / 1e9;
        bytes += received / 8 * seconds;
      }
      long cpuTicks = cpuTicks(processes) - cpuBefore;
      Exec.Result ping =
          a.exec(Duration.ofSeconds(30), "ping", "-c", "20", "-i", "0.05", "-q", target);
      Matcher rtt = RTT.matcher(ping.stdout());
      double rttMs = rtt.find() ? Double.parseDouble(rtt.group(2)) : Double.NaN;
      double cpuPerGb = processes.isEmpty() ? Double.NaN : cpuTicks / 100.0 / (bytes / 1e9);
      return new Result(path, mtu, gbps, rttMs, cpuPerGb);
    } finally {
      for (GreProcess p : processes) {
        p.stop();
      }
      if (path.equals("vxlan")) {
        a.ip("link del vx0");
        b.ip("link del vx0");
      }
    }
  }

  /** User + system CPU ticks (1/100 s) of the datapath processes so far. */
  private static long cpuTicks(List<GreProcess> processes) throws Exception {
    long ticks = 0;
    for (GreProcess p : processes) {
      String stat = Files.readString(Path.of("/proc", String.valueOf(p.process().pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    return ticks;
  }

  private static void print(Map<String, Result> results) {
    Result vxlan = results.get("vxlan");
    System.out.println(
        "path            MTU   Gbit/s median (runs)          RTT avg ms  vs VXLAN  datapath CPU s/GB");
    for (Result r : results.values()) {
      String ratio =
          vxlan == null ? "" : String.format(Locale.ROOT, "%.2fx", r.median() / vxlan.median());
      System.out.println(
          String.format(
              Locale.ROOT,
              "%-15s %-5d %-6.2f %-22s %-11.3f %-9s %s",
              r.path,
              r.mtu,
              r.median(),
              Arrays.toString(round(r.gbps)),
              r.rttMs,
              ratio,
              Double.isNaN(r.cpuSecondsPerGb)
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f", r.cpuSecondsPerGb)));
    }
    if (vxlan != null) {
      System.out.println(
          String.format(
              Locale.ROOT,
              "target: Tunnelier GRE >= 0.5x kernel VXLAN = %.2f Gbit/s",
              vxlan.median() * 0.5));
    }
  }

  private static double[] round(double[] v) {
    return Arrays.stream(v).map(x -> Math.round(x * 100) / 100.0).toArray();
  }
}
