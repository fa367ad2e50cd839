package io.tunnelier.e2e.bench;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.AuditLog;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.lab.ClusterLab;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control plane against the real API server: Tunnelier installed from its chart on a lab
 * cluster (operator as its own process, agents from the DaemonSet spec, VPS as the standalone agent
 * from the peer-config Secrets), every component with the images' JVM flags under the chart's
 * memory limit. Measures Tunnel created → first packet through the VPS, many Tunnels created at
 * once → all Ready, and the steady-state RSS of the operator and the agents.
 */
final class ClusterBenchmark {
  private static final int PROBE_PORT = 9999;
  private static final String TRACED = "many-000";
  private static final Pattern FIRST = Pattern.compile("FIRST (\\S+) (\\d+)");

  /** One create → first packet run, in ms after the create call. */
  record CreateRun(double secretMs, double firstPacketMs) {}

  /** The sum of JOSDK's reconciles-started counters in a /metrics text; NaN without one. */
  static double reconcilesStarted(String metrics) {
    if (metrics == null) {
      return Double.NaN;
    }
    return metrics
        .lines()
        .filter(l -> l.startsWith("operator_sdk_reconciliations_started_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  record Result(
      List<CreateRun> createRuns,
      int tunnels,
      double createsSentMs,
      double allReadyMs,
      Samples readyMs,
      int readyCount,
      ApiRequests requests,
      Map<String, Long> rssOneTunnel,
      Map<String, Long> rssMany,
      Map<String, String> memoryOneTunnel,
      Map<String, String> memoryMany) {}

  private final ClusterLab lab;
  private final TunnelierCluster cluster;
  private final KubernetesClient admin;
  private final String ns;
  private final VpsConfig vps;
  private final Path receiverLog;

  /**
   * By default three of the agents' refresh periods (6 x the chart's 5 s status interval); the
   * operator's copy of byte counters (every 5 minutes) needs a longer window to be seen at its
   * rate.
   */
  static final Duration STEADY = Duration.ofSeconds(90);

  private ClusterBenchmark(ClusterLab lab, TunnelierCluster cluster) {
    this.lab = lab;
    this.cluster = cluster;
    this.admin = cluster.admin();
    this.ns = cluster.namespace("bench");
    this.vps = new VpsConfig(lab.workDir().resolve("vps-peer.yaml"));
    this.receiverLog = lab.workDir().resolve("first-packet.log");
  }

  /**
   * @param nmt also start every JVM with native memory tracking, and at each RSS point note every
   *     process's largest NMT categories and thread count, and write its full NMT summary and class
   *     histogram (after the RSS is read: the histogram collects garbage) into {@code memory}
   * @param agentJvmExtra flags after the agent image's own, for every agent process
   * @param operatorJvmExtra flags after the operator image's own
   */
  static Result run(
      ControlPlane controlPlane,
      int createRuns,
      int tunnels,
      Duration settle,
      boolean nmt,
      List<String> agentJvmExtra,
      List<String> operatorJvmExtra,
      Path memory,
      Path profiles,
      Duration steady)
      throws Exception {
    List<String> agentJvm = new ArrayList<>(LabJava.AGENT_JVM);
    List<String> operatorJvm = new ArrayList<>(LabJava.OPERATOR_JVM);
    agentJvm.addAll(agentJvmExtra);
    operatorJvm.addAll(operatorJvmExtra);
    for (List<String> jvm : List.of(agentJvm, operatorJvm)) {
      if (nmt) {
        jvm.add("-XX:NativeMemoryTracking=summary");
      }
      if (profiles != null) {
        // The JVMs get JFR ready; the recording itself covers only the many-Tunnels phase.
        jvm.add("-XX:+FlightRecorder");
      }
    }
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster =
            TunnelierCluster.install(
                controlPlane,
                lab,
                List.of("node-a"),
                new TunnelierCluster.Options(true, agentJvm, operatorJvm, true))) {
      ClusterBenchmark b = new ClusterBenchmark(lab, cluster);
      b.controlPlane = controlPlane;
      b.nmt = nmt;
      b.memory = memory;
      b.profiles = profiles;
      b.steady = steady;
      return b.measure(createRuns, tunnels, settle);
    }
  }

  private ControlPlane controlPlane;
  private boolean nmt;
  private Path memory;
  private Path profiles;
  private Duration steady = STEADY;

  private Result measure(int createRuns, int tunnels, Duration settle) throws Exception {
    Path script = copyScript();
    lab.web()
        .spawn(
            receiverLog.toFile(),
            "/usr/bin/python3",
            script.toString(),
            "recv",
            ClusterLab.WEB_ADDRESS,
            String.valueOf(PROBE_PORT),
            ClusterLab.VPS_ADDRESS);
    ClusterLab.LabPod probe = cluster.runPod(ns, "node-a", "probe", Map.of("app", "probe"));

    // A first Tunnel makes the operator create the DaemonSet; agents and the VPS start from it.
    DatapathBenchmark.log("control plane: first Tunnel, agents, VPS");
    admin.resource(tunnel("warm", 4000, "warm")).create();
    cluster.startAgents();
    awaitSecret("warm");
    vps.addFromSecret(admin, ns, "warm");
    vps.write();
    cluster.startVps(vps.file());
    awaitReady(List.of("warm"), Duration.ofSeconds(180));

    List<CreateRun> runs = new ArrayList<>();
    // One unmeasured run first: the JIT, informers and connection pools are warm in production.
    for (int i = 0; i <= createRuns; i++) {
      CreateRun r = createToFirstPacket(probe, script, i);
      if (i > 0) {
        runs.add(r);
      }
      DatapathBenchmark.log(
          "control plane: create -> first packet %s %d/%d: %.0f ms (peer-config Secret at %.0f ms)",
          i == 0 ? "warm-up" : "run", i, createRuns, r.firstPacketMs(), r.secretMs());
    }
    Thread.sleep(settle.toMillis());
    Map<String, Long> rssOne = rss();
    DatapathBenchmark.log("control plane: RSS with 1 Tunnel %s", mib(rssOne));
    Map<String, String> memoryOne = memoryBreakdown("1-tunnel");

    DatapathBenchmark.log("control plane: %d Tunnels created at once", tunnels);
    Map<String, Process> profiled = new LinkedHashMap<>();
    if (profiles != null) {
      profiled.put("operator", cluster.operatorProcess());
      profiled.put("agent-node-a", cluster.agentProcess("node-a"));
      profiled.put("agent-node-b", cluster.agentProcess("node-b"));
      profiled.values().stream()
          .filter(java.util.Objects::nonNull)
          .forEach(p -> jcmd(p, "JFR.start", "name=bench", "settings=profile"));
    }
    Result scale = createMany(tunnels);
    if (profiles != null) {
      Files.createDirectories(profiles);
      profiled.forEach(
          (who, p) -> {
            if (p != null) {
              jcmd(
                  p,
                  "JFR.stop",
                  "name=bench",
                  "filename=" + profiles.resolve(who + "-" + tunnels + "-tunnels.jfr"));
            }
          });
      JfrSummary.summarizeAll(profiles, System.out);
    }
    Thread.sleep(settle.toMillis());
    Map<String, Long> rssMany = rss();
    DatapathBenchmark.log("control plane: RSS with %d Tunnels %s", tunnels + 1, mib(rssMany));
    Map<String, String> memoryMany = memoryBreakdown((tunnels + 1) + "-tunnels");
    steadyState(tunnels + 1);
    return new Result(
        runs,
        tunnels,
        scale.createsSentMs(),
        scale.allReadyMs(),
        scale.readyMs(),
        scale.readyCount(),
        scale.requests(),
        rssOne,
        rssMany,
        memoryOne,
        memoryMany);
  }

  /**
   * Creates a Tunnel selecting the probe pod, which already sends a datagram every 10 ms to the web
   * host; the clock runs from the create call until the web host first sees one from the VPS. The
   * VPS config gets the Tunnel's entry the moment its peer-config Secret exists. Afterwards the
   * Tunnel is deleted and the pod leaves through its node again.
   */
  private CreateRun createToFirstPacket(ClusterLab.LabPod probe, Path script, int i)
      throws Exception {
    String name = "create-" + i;
    String tag = "run" + i + "-" + System.nanoTime();
    Process sender =
        probe
            .ns()
            .spawn(
                null,
                "/usr/bin/python3",
                script.toString(),
                "send",
                ClusterLab.WEB_ADDRESS,
                String.valueOf(PROBE_PORT),
                tag,
                "10",
                "120");
    try {
      Thread.sleep(300);
      long t0 = System.currentTimeMillis();
      admin.resource(tunnel(name, 5000 + i, "probe")).create();
      double secretMs = Double.NaN;
      long deadline = t0 + 90_000;
      while (System.currentTimeMillis() < deadline) {
        if (Double.isNaN(secretMs) && vps.addFromSecret(admin, ns, name)) {
          secretMs = System.currentTimeMillis() - t0;
          vps.write();
          cluster.reloadVps();
        }
        Long first = firstPacket(tag);
        if (first != null) {
          return new CreateRun(secretMs, first - t0);
        }
        Thread.sleep(10);
      }
      throw new IllegalStateException(
          "no packet through the VPS within 90 s of creating " + name + logs());
    } finally {
      LabJava.stop(sender, Duration.ofSeconds(1));
      delete(name);
      vps.remove(ns, name);
      vps.write();
      cluster.reloadVps();
      awaitLeavesAsNode(probe);
    }
  }

  private Result createMany(int count) throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(String.format("many-%03d", i));
    }
    int auditBefore = auditEvents().size();
    double reconcilesBefore = reconcilesStarted(cluster.operatorMetrics());
    Map<String, Long> cpuBefore = cpuTicks();
    Map<String, Map<String, long[]>> threadsBefore = agentThreadTicks();
    long hostBefore = HostCpu.hostBusyTicks();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    long t0 = System.currentTimeMillis();
    List<Future<?>> creates = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Tunnel t = tunnel(names.get(i), 10_000 + i, "none");
      creates.add(pool.submit(() -> admin.resource(t).create()));
    }
    for (Future<?> f : creates) {
      f.get();
    }
    double sent = System.currentTimeMillis() - t0;
    pool.shutdown();
    // Watched, not polled: listing 200 Tunnels (and getting 200 Secrets) four times a second
    // loaded the API server the operator and the agents share more than they did.
    Map<String, Long> readyAt = new ConcurrentHashMap<>();
    // Every version of one Tunnel, to see which writes its way to Ready took.
    List<String> trace = java.util.Collections.synchronizedList(new ArrayList<>());
    BlockingQueue<Secret> peerConfigs = new LinkedBlockingQueue<>();
    try (SharedIndexInformer<Tunnel> tunnels =
            admin
                .resources(Tunnel.class)
                .inNamespace(ns)
                .inform(
                    onEach(
                        t -> {
                          readyIfSo(t, readyAt, t0);
                          if (TRACED.equals(t.getMetadata().getName())) {
                            trace.add(TunnelTrace.line(t, System.currentTimeMillis() - t0));
                          }
                        }));
        SharedIndexInformer<Secret> secrets =
            admin
                .secrets()
                .inNamespace(ns)
                .inform(
                    onEach(
                        s -> {
                          if (s.getMetadata().getName().startsWith("many-")) {
                            peerConfigs.add(s);
                          }
                        }))) {
      Map<String, String> inVps = new HashMap<>(); // Secret name -> resourceVersion loaded
      long deadline = t0 + 300_000;
      while (readyAt.size() < count && System.currentTimeMillis() < deadline) {
        // The VPS learns of each Tunnel as its Secret appears, a batch per reload.
        List<Secret> batch = new ArrayList<>();
        Secret first = peerConfigs.poll(250, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          peerConfigs.drainTo(batch);
        }
        boolean changed = false;
        for (Secret s : batch) {
          String name = s.getMetadata().getName();
          String version = s.getMetadata().getResourceVersion();
          if (name.endsWith("-peer-config") && !version.equals(inVps.get(name)) && vps.add(s)) {
            inVps.put(name, version); // an update (new addresses) is copied again, as a user would
            changed = true;
          }
        }
        if (changed) {
          vps.write();
          cluster.reloadVps();
        }
      }
    }
    Map<String, Long> cpuAfter = cpuTicks();
    Map<String, Map<String, long[]>> threadsAfter = agentThreadTicks();
    long hostAfter = HostCpu.hostBusyTicks();
    double wall = (System.currentTimeMillis() - t0) / 1000.0;
    DatapathBenchmark.log(
        "control plane: CPU seconds from the first create until all were Ready (each process with"
            + " the children it ran): %s; the host %.1f of %.1f (%d cores x %.1f s)",
        cpuSeconds(cpuBefore, cpuAfter),
        (hostAfter - hostBefore) / HostCpu.TICKS_PER_SECOND,
        HostCpu.cores() * wall,
        HostCpu.cores(),
        wall);
    threadsAfter.forEach(
        (who, after) ->
            DatapathBenchmark.log(
                "control plane: %s's CPU seconds by thread until all were Ready: %s",
                who, topThreads(threadsBefore.getOrDefault(who, Map.of()), after, 6)));
    double all =
        readyAt.size() == count
            ? readyAt.values().stream().mapToLong(x -> x).max().orElse(0)
            : Double.NaN;
    DatapathBenchmark.log(
        "control plane: %d/%d Tunnels Ready, the last at %.1f s (creates sent in %.1f s)",
        readyAt.size(), count, all / 1000, sent / 1000);
    DatapathBenchmark.log(
        "control plane: the versions of %s on its way to Ready:%n%s",
        TRACED, String.join("\n", trace));
    String metrics = cluster.operatorMetrics();
    double reconciles = reconcilesStarted(metrics) - reconcilesBefore;
    DatapathBenchmark.log(
        "control plane: operator reconciles until all were Ready: %s; its /metrics: %s",
        Double.isNaN(reconciles)
            ? "not read"
            : String.format(Locale.ROOT, "%.0f, %.1f per Tunnel", reconciles, reconciles / count),
        metrics == null ? "not read" : metrics.length() + " bytes");
    // What every watcher of Tunnels receives at each write: it grows with the nodes reporting.
    Tunnel traced = admin.resources(Tunnel.class).inNamespace(ns).withName(TRACED).get();
    if (traced != null) {
      DatapathBenchmark.log(
          "control plane: %s as stored: %d bytes of JSON, of which %d in %d managedFields entries;"
              + " %d status.nodes entries",
          TRACED,
          Serialization.asJson(traced).length(),
          Serialization.asJson(traced.getMetadata().getManagedFields()).length(),
          traced.getMetadata().getManagedFields().size(),
          traced.getStatus() == null || traced.getStatus().getNodes() == null
              ? 0
              : traced.getStatus().getNodes().size());
    }
    List<AuditLog.Event> audited = auditEvents();
    ApiRequests requests =
        audited.isEmpty() ? null : ApiRequests.of(audited.subList(auditBefore, audited.size()));
    if (requests != null) {
      DatapathBenchmark.log(
          "control plane: API requests of the operator and the agents until all were Ready: %s",
          requests.describe(count));
    }
    return new Result(
        List.of(),
        count,
        sent,
        all,
        Samples.of(readyAt.values().stream().map(Long::doubleValue).toList()),
        readyAt.size(),
        requests,
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of());
  }

  /**
   * What the cluster pays with every Tunnel Ready and nothing changing: the API requests of the
   * operator and the agents over {@link #steady}, per minute. With N nodes, what each agent writes
   * here to say it is alive is what grows with N squared (benchmarks.md).
   */
  private void steadyState(int count) throws InterruptedException {
    int from = auditEvents().size();
    Thread.sleep(steady.toMillis());
    List<AuditLog.Event> audited = auditEvents();
    if (audited.isEmpty()) {
      DatapathBenchmark.log("control plane: steady state not measured (no audit log)");
      return;
    }
    DatapathBenchmark.log(
        "control plane: steady state with %d Tunnels Ready, API requests of the operator and the"
            + " agents over %d s: %s",
        count,
        steady.toSeconds(),
        ApiRequests.of(audited.subList(from, audited.size())).describePerMinute(steady));
  }

  /** The audit log so far; empty when the control plane keeps none. */
  private List<AuditLog.Event> auditEvents() {
    try {
      return controlPlane.auditLog().events();
    } catch (IllegalStateException e) {
      return List.of();
    }
  }

  /** The operator and each agent process (null when not running). */
  private Map<String, Process> processes() {
    Map<String, Process> out = new LinkedHashMap<>();
    out.put("operator", cluster.operatorProcess());
    for (ClusterLab.LabNode node : lab.nodes()) {
      out.put("agent " + node.name(), cluster.agentProcess(node.name()));
    }
    if (cluster.vpsProcess() != null) {
      out.put("agent vps (standalone)", cluster.vpsProcess());
    }
    return out;
  }

  /**
   * CPU ticks so far of the control plane's components, the operator, each agent (with the {@code
   * ip} and {@code nft} processes it ran) and this benchmark: where a 2-core machine's time goes
   * while many Tunnels are created.
   */
  private Map<String, Long> cpuTicks() {
    Map<String, Long> out = new LinkedHashMap<>();
    controlPlane.componentPids().forEach((name, pid) -> out.put(name, HostCpu.processTicks(pid)));
    processes()
        .forEach(
            (who, p) -> out.put(who, p == null ? 0 : HostCpu.processTicksWithChildren(p.pid())));
    out.put("this benchmark", HostCpu.processTicks(ProcessHandle.current().pid()));
    return out;
  }

  /** Per agent, its threads' user and system ticks so far, and its waited-for children's. */
  private Map<String, Map<String, long[]>> agentThreadTicks() {
    Map<String, Map<String, long[]>> out = new LinkedHashMap<>();
    processes()
        .forEach(
            (who, p) -> {
              if (p != null && who.startsWith("agent")) {
                Map<String, long[]> threads = new LinkedHashMap<>(HostCpu.threadTicks(p.pid()));
                long all = HostCpu.processTicksWithChildren(p.pid());
                long self = HostCpu.processTicks(p.pid());
                threads.put("(ip, nft and other children)", new long[] {all - self, 0});
                out.put(who, threads);
              }
            });
    return out;
  }

  /** The {@code n} threads that used most CPU between the two readings, as "name user+sys". */
  static String topThreads(Map<String, long[]> before, Map<String, long[]> after, int n) {
    Map<String, Long> used = new LinkedHashMap<>();
    after.forEach(
        (name, t) -> {
          long[] b = before.getOrDefault(name, new long[2]);
          used.put(name, t[0] + t[1] - b[0] - b[1]);
        });
    return used.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .map(
            e ->
                String.format(
                    Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / HostCpu.TICKS_PER_SECOND))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  static String cpuSeconds(Map<String, Long> before, Map<String, Long> after) {
    List<String> parts = new ArrayList<>();
    after.forEach(
        (who, ticks) ->
            parts.add(
                String.format(
                    Locale.ROOT,
                    "%s %.1f",
                    who,
                    (ticks - before.getOrDefault(who, 0L)) / HostCpu.TICKS_PER_SECOND)));
    return String.join(", ", parts);
  }

  /** RSS of the operator and of each agent process, bytes. */
  private Map<String, Long> rss() {
    Map<String, Long> out = new LinkedHashMap<>();
    processes().forEach((who, p) -> out.put(who, p == null ? -1 : HostCpu.rssBytes(p.pid())));
    return out;
  }

  /**
   * With NMT: per process, its largest committed categories and its thread count (printed beside
   * its RSS), and into {@code memory/<phase>-<who>-*.txt} the full NMT summary and the top of its
   * class histogram. Read right after the RSS; the histogram's full collection comes last.
   */
  private Map<String, String> memoryBreakdown(String phase) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (!nmt) {
      return out;
    }
    Files.createDirectories(memory);
    for (Map.Entry<String, Process> e : processes().entrySet()) {
      Process p = e.getValue();
      if (p == null || !p.isAlive()) {
        continue;
      }
      String file = phase + "-" + e.getKey().replaceAll("\\W+", "-");
      String summary = jcmd(p, "VM.native_memory", "summary", "scale=MB").stdout();
      Files.writeString(memory.resolve(file + "-nmt.txt"), summary);
      String note = nativeMemory(summary) + "; threads " + HostCpu.threads(p.pid());
      out.put(e.getKey(), note);
      DatapathBenchmark.log("memory %s, %s: %s", e.getKey(), phase, note);
    }
    for (Map.Entry<String, Process> e : processes().entrySet()) {
      Process p = e.getValue();
      if (p != null && p.isAlive()) {
        String file = phase + "-" + e.getKey().replaceAll("\\W+", "-");
        List<String> histogram = jcmd(p, "GC.class_histogram").stdout().lines().toList();
        List<String> top = new ArrayList<>(histogram.subList(0, Math.min(40, histogram.size())));
        if (histogram.size() > 40) {
          top.add(histogram.get(histogram.size() - 1)); // Total: the live heap after a full GC
        }
        Files.write(memory.resolve(file + "-histogram.txt"), top);
      }
    }
    return out;
  }

  /** Runs a diagnostic command in a lab JVM, with the jcmd of that JVM's own JDK. */
  private static io.tunnelier.agent.lab.Exec.Result jcmd(Process p, String... command) {
    String java = p.info().command().orElse("java");
    String jcmd = java.endsWith("/java") ? java.substring(0, java.length() - 4) + "jcmd" : "jcmd";
    List<String> argv = new ArrayList<>(List.of(jcmd, String.valueOf(p.pid())));
    argv.addAll(List.of(command));
    io.tunnelier.agent.lab.Exec.Result r =
        io.tunnelier.agent.lab.Exec.run(Duration.ofSeconds(60), argv);
    if (r.exitCode() != 0) {
      DatapathBenchmark.log("jcmd %s failed: %s", String.join(" ", command), r.stderr().strip());
    }
    return r;
  }

  /**
   * A JVM's committed memory from its NMT summary: the total, then the categories of 2 MB or more,
   * largest first ("Java Heap" as heap, "Native Memory Tracking" as nmt, its own overhead).
   */
  static String nativeMemory(String summary) {
    Matcher m =
        Pattern.compile("(?m)^(?:-\\s+)?(\\w[\\w ]*?) \\(reserved=\\d+MB, committed=(\\d+)MB\\)")
            .matcher(summary);
    Matcher t = Pattern.compile("Total: reserved=\\d+MB, committed=(\\d+)MB").matcher(summary);
    String total = t.find() ? t.group(1) : "?";
    List<Map.Entry<String, Integer>> parts = new ArrayList<>();
    while (m.find()) {
      String name = m.group(1).strip();
      int mb = Integer.parseInt(m.group(2));
      if (mb >= 2) {
        String shortName =
            switch (name) {
              case "Java Heap" -> "heap";
              case "Native Memory Tracking" -> "nmt";
              default -> name.toLowerCase(java.util.Locale.ROOT);
            };
        parts.add(Map.entry(shortName, mb));
      }
    }
    parts.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    StringBuilder b = new StringBuilder("NMT " + total + " MB:");
    for (Map.Entry<String, Integer> e : parts) {
      b.append(' ').append(e.getKey()).append(' ').append(e.getValue()).append(',');
    }
    b.setLength(b.length() - 1);
    return b.toString();
  }

  static String mib(Map<String, Long> rss) {
    StringBuilder b = new StringBuilder();
    rss.forEach(
        (k, v) ->
            b.append(String.format(java.util.Locale.ROOT, "%s %.0f MiB; ", k, v / 1048576.0)));
    return b.toString();
  }

  /** An egress Tunnel like examples/egress-gre.yaml, named, keyed, selecting {@code app=<app>}. */
  private Tunnel tunnel(String name, long greKey, String app) {
    try {
      Tunnel t =
          Serialization.unmarshal(
              Files.readString(TunnelierCluster.repoRoot().resolve("examples/egress-gre.yaml")),
              Tunnel.class);
      t.getMetadata().setName(name);
      t.getMetadata().setNamespace(ns);
      t.getSpec().getPeer().setGreKey(greKey);
      t.getSpec().getEgress().getPodSelector().setMatchLabels(Map.of("app", app));
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitSecret(String name) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    while (admin.secrets().inNamespace(ns).withName(name + "-peer-config").get() == null) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("no peer-config Secret for " + name + logs());
      }
      Thread.sleep(100);
    }
  }

  private void awaitReady(List<String> names, Duration timeout) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (true) {
      boolean all = true;
      for (String n : names) {
        all &= ready(admin.resources(Tunnel.class).inNamespace(ns).withName(n).get());
      }
      if (all) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(names + " not Ready within " + timeout + logs());
      }
      Thread.sleep(250);
    }
  }

  private void delete(String name) throws InterruptedException {
    admin.resources(Tunnel.class).inNamespace(ns).withName(name).delete();
    long deadline = System.currentTimeMillis() + 90_000;
    while (admin.resources(Tunnel.class).inNamespace(ns).withName(name).get() != null) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(name + " not gone within 90 s" + logs());
      }
      Thread.sleep(100);
    }
  }

  private void awaitLeavesAsNode(ClusterLab.LabPod probe) throws InterruptedException {
    String node = probe.node().address();
    long deadline = System.currentTimeMillis() + 60_000;
    while (!node.equals(lab.sourceSeenByWeb(probe.ns()))) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the probe pod does not leave as its node again" + logs());
      }
      Thread.sleep(200);
    }
  }

  private Long firstPacket(String tag) throws IOException {
    if (!Files.exists(receiverLog)) {
      return null;
    }
    Matcher m = FIRST.matcher(Files.readString(receiverLog));
    while (m.find()) {
      if (m.group(1).equals(tag)) {
        return Long.parseLong(m.group(2));
      }
    }
    return null;
  }

  private static void readyIfSo(Tunnel t, Map<String, Long> readyAt, long t0) {
    String n = t.getMetadata().getName();
    if (n.startsWith("many-") && ready(t)) {
      readyAt.putIfAbsent(n, System.currentTimeMillis() - t0);
    }
  }

  /** A handler that gives every added or updated object to {@code each}. */
  private static <T> ResourceEventHandler<T> onEach(java.util.function.Consumer<T> each) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        each.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        each.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  static boolean ready(Tunnel t) {
    if (t == null || t.getStatus() == null || t.getStatus().getConditions() == null) {
      return false;
    }
    for (Condition c : t.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  private String logs() {
    StringBuilder b = new StringBuilder();
    for (String c : List.of("operator", "node-a-agent", "node-b-agent", "vps-agent")) {
      b.append("\n--- ").append(c).append(" ---\n").append(cluster.tail(c, 20));
    }
    return b.toString();
  }

  private Path copyScript() throws IOException {
    Path script = lab.workDir().resolve("first_packet.py");
    try (InputStream in = ClusterBenchmark.class.getResourceAsStream("/bench/first_packet.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    return script;
  }
}
