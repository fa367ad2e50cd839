package io.tunnelier.e2e.bench;

import io.tunnelier.agent.lab.Lab;
import io.tunnelier.api.v1alpha1.BackupPeerSpec;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.lab.ClusterLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The failover suite (docs/benchmarks.md): on a lab cluster with two gateway candidates and a
 * Tunnel with a backup VPS, how long the selected pods' traffic stops when the gateway's agent is
 * killed (the gateway moves to the other node), and when the primary VPS stops (the gateway moves
 * to the backup VPS) and comes back (failback). Each run from the failure to the first request
 * answered through the expected VPS; requests time out after 1 s, so each figure is within a
 * second. Prints medians next to the figures other projects publish (they cannot run here). Asserts
 * nothing.
 *
 * <pre>
 * FailoverBenchmark --out DIR [--runs 3]
 * </pre>
 */
public final class FailoverBenchmark {
  private static final Duration REQUEST = Duration.ofSeconds(1);
  private static final Duration LIMIT = Duration.ofSeconds(120);

  private FailoverBenchmark() {}

  public static void main(String[] argv) throws Exception {
    DatapathBenchmark.quietLogs();
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    Path out = Path.of(a.getOrDefault("out", "e2e/results/failover"));
    int runs = Integer.parseInt(a.getOrDefault("runs", "3"));
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.err.println("failover benchmark cannot run: " + reason);
      System.exit(2);
    }
    Files.createDirectories(out);
    List<Double> gateway = new ArrayList<>();
    List<Double> vpsSwitch = new ArrayList<>();
    List<Double> vpsTraffic = new ArrayList<>();
    List<Double> failback = new ArrayList<>();
    DatapathBenchmark.log("failover: starting kube-apiserver and etcd, a 2-node lab, two VPS");
    try (ControlPlane controlPlane = ControlPlane.start();
        ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster =
            TunnelierCluster.install(controlPlane, lab, List.of("node-a", "node-b"))) {
      String ns = cluster.namespace("scraping");
      // On the member's side of either gateway: one pod per node, each measured.
      var pods =
          List.of(
              cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper")),
              cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper")));
      Tunnel t = TunnelierCluster.example("egress-wireguard.yaml");
      t.getMetadata().setNamespace(ns);
      BackupPeerSpec backup = new BackupPeerSpec();
      backup.setName("vps-b");
      backup.setEndpoint(ClusterLab.VPS_2_ADDRESS + ":51820");
      t.getSpec().setBackupPeers(List.of(backup));
      String name = cluster.apply(t).getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);
      cluster.startSecondVps(ns, name, "vps-b");
      awaitOrThrow(
          "traffic through the primary VPS", () -> allVia(lab, pods, ClusterLab.VPS_ADDRESS));
      awaitOrThrow(
          "both VPS healthy",
          () -> {
            TunnelStatus s = cluster.tunnel(ns, name).getStatus();
            return s != null
                && s.getPeerPaths() != null
                && s.getPeerPaths().stream().allMatch(p -> Boolean.TRUE.equals(p.getHealthy()));
          });

      for (int run = 1; run <= runs; run++) {
        // The gateway node's agent dies (its userspace tunnel with it); the other node takes over.
        // Measured from the pod on the other node: the one on the dead agent's node waits for its
        // agent (the kill switch holds it meanwhile).
        String active = cluster.tunnel(ns, name).getStatus().getActiveGateway();
        var survivors = pods.stream().filter(p -> !p.node().name().equals(active)).toList();
        long killed = System.nanoTime();
        cluster.killAgent(active);
        double g = awaitSeconds(killed, () -> allVia(lab, survivors, ClusterLab.VPS_ADDRESS));
        gateway.add(g);
        DatapathBenchmark.log(
            "run %d: gateway %s killed: traffic through the VPS again after %.1f s (gateway now %s)",
            run, active, g, cluster.tunnel(ns, name).getStatus().getActiveGateway());
        cluster.startAgents();
        awaitOrThrow(
            "traffic through the primary VPS from both pods",
            () -> allVia(lab, pods, ClusterLab.VPS_ADDRESS));
        awaitOrThrow(
            "both VPS healthy on the new gateway",
            () -> {
              TunnelStatus s = cluster.tunnel(ns, name).getStatus();
              return s.getPeerPaths().stream().allMatch(p -> Boolean.TRUE.equals(p.getHealthy()));
            });

        // The primary VPS stops: the gateway moves to the backup.
        cluster.stopVps();
        long stopped = System.nanoTime();
        Instant stoppedAt = Instant.now();
        double v = awaitSeconds(stopped, () -> allVia(lab, pods, ClusterLab.VPS_2_ADDRESS));
        vpsTraffic.add(v);
        awaitOrThrow(
            "status: vps-b in use",
            () -> "vps-b".equals(cluster.tunnel(ns, name).getStatus().getActivePeer()));
        double switched =
            Duration.between(
                        stoppedAt,
                        Instant.parse(
                            cluster.tunnel(ns, name).getStatus().getLastPeerSwitch().getTime()))
                    .toMillis()
                / 1000.0;
        vpsSwitch.add(switched);
        DatapathBenchmark.log(
            "run %d: primary VPS stopped: gateway switched after %.1f s, traffic through the backup"
                + " after %.1f s",
            run, switched, v);

        // It returns: failback after the hold-down (10 probes answered in a row).
        cluster.startVps(ns, name);
        long back = System.nanoTime();
        double f = awaitSeconds(back, () -> allVia(lab, pods, ClusterLab.VPS_ADDRESS));
        failback.add(f);
        DatapathBenchmark.log("run %d: primary VPS back: traffic through it after %.1f s", run, f);
      }
    }

    List<String> table = new ArrayList<>();
    table.add(
        String.format(
            Locale.ROOT,
            "%-52s %-28s %s",
            "failover",
            "Tunnelier, median (min–max) s",
            "published elsewhere (not run here)"));
    table.add(
        row(
            "gateway node's agent killed → traffic back",
            Samples.of(gateway),
            "Cilium OSS egress gateway: no failover (issue 18230; 5–6 min outages reported);"
                + " Kilo: re-elects on NotReady only (5–15 min reported); Tailscale: up to ~15 s"
                + " documented"));
    table.add(
        row(
            "primary VPS stopped → gateway switched",
            Samples.of(vpsSwitch),
            "target ≤ 5 s (issue 18)"));
    table.add(row("primary VPS stopped → traffic through the backup", Samples.of(vpsTraffic), ""));
    table.add(
        row(
            "primary VPS back → traffic through it (failback)",
            Samples.of(failback),
            "hold-down of 10 probes, by design"));
    table.add(
        String.format(
            Locale.ROOT,
            "%d runs, WireGuard, back-to-back requests (1 s timeout) from a pod on each node; for the"
                + " gateway, from the pod on the surviving node",
            runs));
    String text = String.join("\n", table) + "\n";
    System.out.print(text);
    Files.writeString(out.resolve("failover.txt"), text);
  }

  private static String row(String what, Samples s, String elsewhere) {
    return String.format(Locale.ROOT, "%-52s %-28s %s", what, s.format(1), elsewhere);
  }

  /** Whether every pod's request is answered through {@code vps} now. */
  private static boolean allVia(ClusterLab lab, List<ClusterLab.LabPod> pods, String vps) {
    for (ClusterLab.LabPod pod : pods) {
      if (!vps.equals(lab.sourceSeenByWeb(pod.ns(), REQUEST))) {
        return false;
      }
    }
    return true;
  }

  /** Seconds from {@code since} until {@code done}, polled back to back; bounded by LIMIT. */
  private static double awaitSeconds(long since, BooleanSupplier done) {
    long deadline = since + LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return (System.nanoTime() - since) / 1e9;
      }
    }
    throw new IllegalStateException("not within " + LIMIT.toSeconds() + " s");
  }

  private static void awaitOrThrow(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(what + ": not within " + LIMIT.toSeconds() + " s");
  }
}
