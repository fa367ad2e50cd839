package io.tunnelier.e2e.demo;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.v1alpha1.DetourStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.lab.ClusterLab;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's demo ({@code e2e/bin/demo}): egress through a VPS on this machine, with the parts a
 * user's cluster runs. A real kube-apiserver and etcd, Tunnelier installed with its Helm chart, the
 * operator, one real node agent per node and the standalone agent on the VPS; the nodes, pods, VPS
 * and internet host are network namespaces ({@link ClusterLab}). It applies a Tunnel from
 * examples/, shows {@code kubectl get tunnels}, the source address the internet host sees from
 * selected and unselected pods, and the round trip direct vs through the VPS, then removes
 * everything (also on Ctrl-C: the lab and the control plane have shutdown hooks).
 *
 * <p>Argument: the example to apply (default {@code egress-wireguard.yaml}). Logs go to the file
 * named by the system property {@code tunnelier.demo.log} (default: tunnelier-demo.log in the
 * temporary directory).
 */
public final class Demo {
  private static final Pattern PING_AVG = Pattern.compile("= [\\d.]+/([\\d.]+)/");
  private static final Duration READY_WITHIN = Duration.ofSeconds(150);
  private static final int WIDTH = 78;

  /** The page the user reads; System.out itself goes to the log. */
  private static final PrintStream OUT = System.out;

  private Demo() {}

  public static void main(String[] args) throws IOException {
    String example = args.length > 0 ? args[0] : "egress-wireguard.yaml";
    Path log =
        Path.of(
            System.getProperty(
                "tunnelier.demo.log",
                Path.of(System.getProperty("java.io.tmpdir"), "tunnelier-demo.log").toString()));
    String unavailable = Lab.unavailableReason();
    if (unavailable != null) {
      System.err.println("demo: cannot run here: " + unavailable);
      System.exit(2);
    }
    // Everything but this page (logs, the control plane's and helm's chatter) goes to the log.
    PrintStream logStream =
        new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
    System.setOut(logStream);
    System.setErr(logStream);
    Thread interrupted =
        new Thread(() -> OUT.println("\ninterrupted: removing the lab and the control plane"));
    Runtime.getRuntime().addShutdownHook(interrupted);
    int exit = 0;
    try {
      run(example);
    } catch (RuntimeException | AssertionError e) {
      OUT.println("\ndemo failed: " + e.getMessage());
      if (labFiles != null) {
        OUT.println("agents' logs: " + labFiles);
      }
      exit = 1;
    }
    Runtime.getRuntime().removeShutdownHook(interrupted);
    OUT.println("log: " + log);
    System.exit(exit);
  }

  private static void run(String example) {
    OUT.println(
        """
        Tunnelier demo: selected pods leave the cluster through a VPS.
          A real Kubernetes API server, Tunnelier installed with its Helm chart, real node agents;
          the nodes, pods, VPS and internet host are network namespaces on this machine.
        """);
    long teardown;
    try (ControlPlane controlPlane =
            step(
                "[1/5] control plane: kube-apiserver, etcd, kube-controller-manager",
                ControlPlane::start);
        ClusterLab lab =
            step(
                "[2/5] lab: nodes node-a and node-b, a VPS, an internet host",
                () -> ClusterLab.create(2, false));
        TunnelierCluster cluster =
            step(
                "[3/5] Helm: install charts/tunnelier; start the operator",
                () -> TunnelierCluster.install(controlPlane, lab, List.of("node-a")))) {
      labFiles = lab.workDir();
      show(example, controlPlane, lab, cluster);
      OUT.print(dots("[5/5] tearing down: agents, operator, lab, control plane"));
      teardown = System.nanoTime();
    }
    deleteRecursively(labFiles);
    OUT.printf("%5.1f s%n", (System.nanoTime() - teardown) / 1e9);
  }

  /** The lab's files (agents' logs): deleted after a good run, named after a failed one. */
  private static Path labFiles;

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Only log files: leave them.
    }
  }

  private static void show(
      String example, ControlPlane controlPlane, ClusterLab lab, TunnelierCluster cluster) {
    String ns = cluster.namespace("scraping");
    var scraperA = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
    var scraperB = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
    var webA = cluster.runPod(ns, "node-a", "web-a", Map.of("app", "web"));

    Tunnel applied =
        step(
            "[4/5] apply examples/" + example + "; start the agents",
            () -> {
              Tunnel t = cluster.applyExample(example, ns);
              cluster.startAgents();
              cluster.startVps(ns, t.getMetadata().getName());
              return t;
            });
    String name = applied.getMetadata().getName();
    step(
        "      waiting until the Tunnel is Ready and the pods leave through it",
        () -> {
          waitUntil(
              cluster,
              () -> {
                Tunnel t = cluster.tunnel(ns, name);
                return ready(t)
                    && t.getStatus().getPeer() != null
                    && t.getStatus().getPeer().getRttMillis() != null
                    && ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(scraperA.ns()))
                    && ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(scraperB.ns()));
              });
          return null;
        });

    OUT.println("\n$ kubectl -n " + ns + " get tunnels");
    OUT.print(controlPlane.kubectl("-n", ns, "get", "tunnels"));

    OUT.printf("%nThe source address the internet host (%s) sees:%n", ClusterLab.WEB_ADDRESS);
    source(lab, "scraper-a", "app=scraper, on node-a (gateway)", scraperA.ns());
    source(lab, "scraper-b", "app=scraper, on node-b", scraperB.ns());
    source(lab, "web-a", "app=web, not selected, on node-a", webA.ns());

    OUT.println("\nRound trips (ping, 10 each, average):");
    OptionalDouble nodeToVps = avgRtt(lab.node("node-a").ns(), ClusterLab.VPS_ADDRESS);
    OptionalDouble direct = avgRtt(webA.ns(), ClusterLab.WEB_ADDRESS);
    OptionalDouble detour = avgRtt(scraperA.ns(), ClusterLab.WEB_ADDRESS);
    rtt("node-a -> VPS " + ClusterLab.VPS_ADDRESS + ", direct", nodeToVps, "");
    rtt("web-a -> internet host, direct", direct, "");
    String cost =
        direct.isPresent() && detour.isPresent()
            ? String.format("  detour %+.2f ms", detour.getAsDouble() - direct.getAsDouble())
            : "";
    rtt("scraper-a -> internet host, through the VPS", detour, cost);
    DetourStatus status = cluster.tunnel(ns, name).getStatus().getDetour();
    if (status != null) {
      OUT.printf(
          "  the Tunnel's status.detour: direct %.2f ms, via the tunnel %.2f ms%n",
          status.getDirectRttMillis(), status.getViaTunnelRttMillis());
    }
    OUT.println(
        "  (the lab's links add no delay, so the detour here is the tunnel's own cost; with a\n"
            + "   real VPS, add the way to it and back)\n");
  }

  private static void source(ClusterLab lab, String pod, String what, Netns ns) {
    String seen = lab.sourceSeenByWeb(ns);
    String who =
        ClusterLab.VPS_ADDRESS.equals(seen)
            ? "the VPS"
            : lab.nodes().stream()
                .filter(n -> n.address().equals(seen))
                .map(n -> "its node, " + n.name())
                .findFirst()
                .orElse(seen == null ? "no answer" : "");
    OUT.printf("  %-10s %-34s -> %-13s %s%n", pod, what, seen, who);
  }

  private static void rtt(String what, OptionalDouble ms, String suffix) {
    OUT.printf(
        "  %-46s %s%s%n",
        what,
        ms.isPresent() ? String.format("%6.2f ms", ms.getAsDouble()) : "  (no reply)",
        suffix);
  }

  private static OptionalDouble avgRtt(Netns ns, String target) {
    Exec.Result r =
        ns.exec(
            Duration.ofSeconds(20), "ping", "-n", "-q", "-c", "10", "-i", "0.2", "-W", "2", target);
    Matcher m = PING_AVG.matcher(r.stdout());
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }

  private static boolean ready(Tunnel t) {
    return t != null
        && t.getStatus() != null
        && t.getStatus().getConditions() != null
        && t.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static void waitUntil(TunnelierCluster cluster, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (RuntimeException e) {
        // Not there yet (the Tunnel's status, a pod's route): try again.
      }
      sleep(1000);
    }
    StringBuilder logs = new StringBuilder();
    for (String component : List.of("node-a-agent", "node-b-agent", "vps-agent")) {
      logs.append("\n--- ").append(component).append(" ---\n").append(cluster.tail(component, 15));
    }
    throw new IllegalStateException(
        "the Tunnel was not Ready within " + READY_WITHIN.toSeconds() + " s" + logs);
  }

  /** Runs one step, printing its title and how long it took. */
  private static <T> T step(String title, Supplier<T> action) {
    OUT.print(dots(title));
    OUT.flush();
    long start = System.nanoTime();
    T result = action.get();
    OUT.printf("%5.1f s%n", (System.nanoTime() - start) / 1e9);
    return result;
  }

  private static String dots(String title) {
    return title + " " + ".".repeat(Math.max(2, WIDTH - title.length() - 1)) + " ";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
