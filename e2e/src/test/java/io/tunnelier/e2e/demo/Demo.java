package io.tunnelier.e2e.demo;

import io.tunnelier.agent.lab.Exec;
import io.tunnelier.agent.lab.Lab;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.net.Cidr;
import io.tunnelier.api.v1alpha1.DetourStatus;
import io.tunnelier.api.v1alpha1.EgressSpec;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelType;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The README's demo ({@code e2e/bin/demo}): a Tunnel from examples/ with the parts a user's cluster
 * runs. A real kube-apiserver and etcd, Tunnelier installed with its Helm chart, the operator, one
 * real node agent per node; the nodes, pods, VPS and internet host are network namespaces ({@link
 * ClusterLab}). For an Egress example it shows {@code kubectl get tunnels}, the source address the
 * internet host sees from selected and unselected pods for a destination inside and one outside the
 * example's {@code destinations}, and the round trip direct vs through the VPS. For a SiteToSite
 * example it builds a second cluster (its own API server, operator and agents) with the example's
 * mirror image, exchanges the public keys as a user would, and shows pods of each side reaching the
 * other's by pod IP. Then it removes everything (also on Ctrl-C: the lab and the control planes
 * have shutdown hooks).
 *
 * <p>Argument: the example to apply (default {@code egress-wireguard.yaml}); a name that is not in
 * examples/ gets the list. Logs go to the file named by the system property {@code
 * tunnelier.demo.log} (default: tunnelier-demo.log in the temporary directory).
 */
public final class Demo {
  public static final String DEFAULT_EXAMPLE = "egress-wireguard.yaml";
  private static final Pattern PING_AVG = Pattern.compile("= [\\d.]+/([\\d.]+)/");
  private static final Duration READY_WITHIN = Duration.ofSeconds(150);
  private static final int WIDTH = 78;
  private static final int HTTP_PORT = 8080;

  /** The page the user reads. */
  private final PrintStream out;

  /** The lab's files (agents' logs): deleted after a good run, named after a failed one. */
  private final List<Path> labFiles = new ArrayList<>();

  public Demo(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws IOException {
    String example = args.length > 0 ? args[0] : DEFAULT_EXAMPLE;
    PrintStream page = System.out;
    if (!examples().contains(example)) {
      page.println("demo: there is no example named \"" + example + "\"; the examples are:");
      examples().forEach(e -> page.println("  " + e));
      System.exit(2);
    }
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
        new Thread(() -> page.println("\ninterrupted: removing the lab and the control plane"));
    Runtime.getRuntime().addShutdownHook(interrupted);
    Demo demo = new Demo(page);
    int exit = 0;
    try {
      demo.run(example);
    } catch (RuntimeException | AssertionError e) {
      page.println("\ndemo failed: " + e.getMessage());
      if (!demo.labFiles.isEmpty()) {
        page.println("agents' logs: " + demo.labFiles);
      }
      exit = 1;
    }
    Runtime.getRuntime().removeShutdownHook(interrupted);
    page.println("log: " + log);
    System.exit(exit);
  }

  /** The files in examples/, by name. */
  public static List<String> examples() {
    try (Stream<Path> files = Files.list(TunnelierCluster.repoRoot().resolve("examples"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the demo of one example; throws when what it shows is not what the example promises. */
  public void run(String example) {
    Tunnel tunnel = TunnelierCluster.example(example);
    if (tunnel.getSpec().getType() == TunnelType.SITE_TO_SITE) {
      runSiteToSite(example);
    } else {
      runEgress(example, tunnel);
    }
    labFiles.forEach(Demo::deleteRecursively);
    labFiles.clear();
  }

  // ---- Egress ---------------------------------------------------------------------------------

  private void runEgress(String example, Tunnel tunnel) {
    out.println(
        """
        Tunnelier demo: selected pods leave the cluster through a VPS (examples/%s).
          A real Kubernetes API server, Tunnelier installed with its Helm chart, real node agents;
          the nodes, pods, VPS and internet host are network namespaces on this machine.
        """
            .formatted(example));
    long teardown;
    try (ControlPlane controlPlane =
            step(
                "[1/5] control plane: kube-apiserver, etcd, kube-controller-manager",
                ControlPlane::start);
        ClusterLab lab =
            step(
                "[2/5] lab: nodes node-a and node-b, a VPS, an internet host",
                () -> {
                  ClusterLab l = ClusterLab.create(2, false);
                  l.startSecondWebAddress();
                  return l;
                });
        TunnelierCluster cluster =
            step(
                "[3/5] Helm: install charts/tunnelier; start the operator",
                () -> TunnelierCluster.install(controlPlane, lab, List.of("node-a")))) {
      labFiles.add(lab.workDir());
      showEgress(example, tunnel, controlPlane, lab, cluster);
      out.print(dots("[5/5] tearing down: agents, operator, lab, control plane"));
      teardown = System.nanoTime();
    }
    out.printf("%5.1f s%n", (System.nanoTime() - teardown) / 1e9);
  }

  /** An address of the internet host, and whether the example sends it through the VPS. */
  record Destination(String address, boolean throughVps) {}

  /** Where each of the internet host's addresses goes under the example's egress spec. */
  static List<Destination> destinations(EgressSpec egress) {
    List<String> through =
        egress == null || egress.getDestinations() == null || egress.getDestinations().isEmpty()
            ? List.of("0.0.0.0/0")
            : egress.getDestinations();
    List<String> excluded =
        egress == null || egress.getExcludedDestinations() == null
            ? List.of()
            : egress.getExcludedDestinations();
    return Stream.of(ClusterLab.WEB_ADDRESS, ClusterLab.WEB_ADDRESS_2)
        .map(
            a -> {
              Cidr address = Cidr.parseAddress(a);
              boolean in = through.stream().anyMatch(c -> Cidr.parseIpv4(c).contains(address));
              boolean excludedHit =
                  excluded.stream().anyMatch(c -> Cidr.parseIpv4(c).contains(address));
              return new Destination(a, in && !excludedHit);
            })
        .toList();
  }

  private void showEgress(
      String example,
      Tunnel tunnel,
      ControlPlane controlPlane,
      ClusterLab lab,
      TunnelierCluster cluster) {
    String ns = cluster.namespace("scraping");
    var scraperA = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
    var scraperB = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
    var webA = cluster.runPod(ns, "node-a", "web-a", Map.of("app", "web"));
    List<Destination> destinations = destinations(tunnel.getSpec().getEgress());

    Tunnel applied =
        step(
            "[4/5] apply examples/" + example + "; start the agents and the VPS",
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
              List.of("node-a-agent", "node-b-agent", "vps-agent"),
              () -> {
                Tunnel t = cluster.tunnel(ns, name);
                if (!ready(t)
                    || t.getStatus().getPeer() == null
                    || t.getStatus().getPeer().getRttMillis() == null) {
                  return false;
                }
                for (Destination d : destinations) {
                  for (var pod : List.of(scraperA, scraperB)) {
                    String expected =
                        d.throughVps() ? ClusterLab.VPS_ADDRESS : pod.node().address();
                    if (!expected.equals(lab.sourceSeenBy(pod.ns(), d.address(), HTTP_PORT))) {
                      return false;
                    }
                  }
                }
                return true;
              });
          return null;
        });

    out.println("\n$ kubectl -n " + ns + " get tunnels");
    out.print(controlPlane.kubectl("-n", ns, "get", "tunnels"));

    for (Destination d : destinations) {
      out.printf(
          "%nThe source address the internet host sees at %s (%s the example's destinations):%n",
          d.address(), d.throughVps() ? "inside" : "outside");
      source(lab, d, "scraper-a", "app=scraper, on node-a (gateway)", scraperA.ns());
      source(lab, d, "scraper-b", "app=scraper, on node-b", scraperB.ns());
      source(lab, d, "web-a", "app=web, not selected, on node-a", webA.ns());
    }

    Destination via = destinations.stream().filter(Destination::throughVps).findFirst().get();
    out.println("\nRound trips (ping, 10 each, average):");
    OptionalDouble nodeToVps = avgRtt(lab.node("node-a").ns(), ClusterLab.VPS_ADDRESS);
    OptionalDouble direct = avgRtt(webA.ns(), via.address());
    OptionalDouble detour = avgRtt(scraperA.ns(), via.address());
    rtt("node-a -> VPS " + ClusterLab.VPS_ADDRESS + ", direct", nodeToVps, "");
    rtt("web-a -> " + via.address() + ", direct", direct, "");
    String cost =
        direct.isPresent() && detour.isPresent()
            ? String.format("  detour %+.2f ms", detour.getAsDouble() - direct.getAsDouble())
            : "";
    rtt("scraper-a -> " + via.address() + ", through the VPS", detour, cost);
    DetourStatus status = cluster.tunnel(ns, name).getStatus().getDetour();
    if (status != null) {
      out.printf(
          "  the Tunnel's status.detour: direct %.2f ms, via the tunnel %.2f ms%n",
          status.getDirectRttMillis(), status.getViaTunnelRttMillis());
    }
    out.println(
        "  (the lab's links add no delay, so the detour here is the tunnel's own cost; with a\n"
            + "   real VPS, add the way to it and back)");
    out.printf(
        """

        In your cluster, look at:
          kubectl -n %1$s get tunnel %2$s -o yaml      # status.conditions, status.nodes[], status.peer
          kubectl -n %1$s get secret %2$s-peer-config  # the VPS's configuration (docs/vps.md)
          kubectl -n %1$s get events --field-selector involvedObject.name=%2$s
          docs/troubleshooting.md                      # what each Ready=False reason means

        """,
        ns, name);
  }

  private void source(ClusterLab lab, Destination d, String pod, String what, Netns ns) {
    String seen = lab.sourceSeenBy(ns, d.address(), HTTP_PORT);
    String who =
        ClusterLab.VPS_ADDRESS.equals(seen)
            ? "the VPS"
            : lab.nodes().stream()
                .filter(n -> n.address().equals(seen))
                .map(n -> "its node, " + n.name())
                .findFirst()
                .orElse(seen == null ? "no answer" : "");
    out.printf("  %-10s %-34s -> %-13s %s%n", pod, what, seen, who);
  }

  // ---- Site-to-site ---------------------------------------------------------------------------

  private void runSiteToSite(String example) {
    out.println(
        """
        Tunnelier demo: pods of two clusters reach each other by pod IP (examples/%s).
          Two real Kubernetes API servers, Tunnelier installed with its Helm chart in each, real
          node agents; the nodes and pods of both sites and the internet between them are network
          namespaces on this machine.
        """
            .formatted(example));
    long teardown;
    try (ControlPlane controlPlaneA =
            step(
                "[1/6] control planes: kube-apiserver, etcd, kube-controller-manager (cluster A)",
                ControlPlane::start);
        ControlPlane controlPlaneB = step("      (cluster B)", ControlPlane::start);
        ClusterLab siteA =
            step(
                "[2/6] lab: two sites of two nodes each, joined by an internet",
                () -> ClusterLab.create(2, false));
        ClusterLab siteB = ClusterLab.secondSite(siteA, 2, false);
        TunnelierCluster a =
            step(
                "[3/6] Helm: install charts/tunnelier in both; start the operators",
                () -> TunnelierCluster.install(controlPlaneA, siteA, List.of("node-a")));
        TunnelierCluster b = TunnelierCluster.install(controlPlaneB, siteB, List.of("node-a"))) {
      labFiles.add(siteA.workDir());
      showSiteToSite(example, controlPlaneA, controlPlaneB, siteA, siteB, a, b);
      out.print(dots("[6/6] tearing down: agents, operators, labs, control planes"));
      teardown = System.nanoTime();
    }
    out.printf("%5.1f s%n", (System.nanoTime() - teardown) / 1e9);
  }

  private void showSiteToSite(
      String example,
      ControlPlane controlPlaneA,
      ControlPlane controlPlaneB,
      ClusterLab siteA,
      ClusterLab siteB,
      TunnelierCluster a,
      TunnelierCluster b) {
    String nsA = a.namespace("sites");
    String nsB = b.namespace("sites");
    List<ClusterLab.LabPod> podsA =
        List.of(
            a.runPod(nsA, "node-a", "a-gw", Map.of("app", "web")),
            a.runPod(nsA, "node-b", "a-member", Map.of("app", "web")));
    List<ClusterLab.LabPod> podsB =
        List.of(
            b.runPod(nsB, "node-a", "b-gw", Map.of("app", "web")),
            b.runPod(nsB, "node-b", "b-member", Map.of("app", "web")));
    podsA.forEach(p -> siteA.startEchoServer(p.ns(), p.ip(), HTTP_PORT));
    podsB.forEach(p -> siteB.startEchoServer(p.ns(), p.ip(), HTTP_PORT));

    Tunnel toB = mirror(example, nsA, siteB.node("node-a").address(), siteB, siteA, "0");
    Tunnel toA = mirror(example, nsB, siteA.node("node-a").address(), siteA, siteB, "1");
    toA.getMetadata().setName("to-cluster-a");
    out.printf(
        "  the example's addresses become the lab's: in A peer.endpoint %s, remoteCIDRs %s,%n"
            + "  localCIDRs %s; cluster B gets the mirror image (its Tunnel to-cluster-a).%n",
        toB.getSpec().getPeer().getEndpoint(),
        toB.getSpec().getSiteToSite().getRemoteCIDRs(),
        toB.getSpec().getSiteToSite().getLocalCIDRs());
    step(
        "[4/6] apply examples/" + example + " in A and its mirror in B; start the agents",
        () -> {
          a.apply(toB);
          b.apply(toA);
          a.startAgents();
          b.startAgents();
          return null;
        });
    if (toB.getSpec().getEncapsulation() == Encapsulation.WIREGUARD) {
      step(
          "      exchanging the public keys (status.publicKey -> the other's peer.publicKey)",
          () -> {
            String keyA = a.publicKeyOf(toB);
            String keyB = b.publicKeyOf(toA);
            a.setPeerPublicKey(toB, keyB);
            b.setPeerPublicKey(toA, keyA);
            return null;
          });
    }
    step(
        "[5/6] waiting until both Tunnels are Ready and every pod reaches the other side",
        () -> {
          waitUntil(
              a,
              List.of("node-a-agent", "node-b-agent"),
              () -> {
                if (!ready(a.tunnel(nsA, toB.getMetadata().getName()))
                    || !ready(b.tunnel(nsB, toA.getMetadata().getName()))) {
                  return false;
                }
                for (var from : podsA) {
                  for (var to : podsB) {
                    if (!from.ip().equals(siteA.sourceSeenBy(from.ns(), to.ip(), HTTP_PORT))
                        || !to.ip().equals(siteA.sourceSeenBy(to.ns(), from.ip(), HTTP_PORT))) {
                      return false;
                    }
                  }
                }
                return true;
              });
          return null;
        });

    out.println("\n$ kubectl -n " + nsA + " get tunnels        # cluster A");
    out.print(controlPlaneA.kubectl("-n", nsA, "get", "tunnels"));
    out.println("$ kubectl -n " + nsB + " get tunnels        # cluster B");
    out.print(controlPlaneB.kubectl("-n", nsB, "get", "tunnels"));

    out.println("\nHTTP by pod IP; the address the server sees (no NAT on this path):");
    for (var from : podsA) {
      for (var to : podsB) {
        crossing(siteA, "A", from, "B", to);
        crossing(siteA, "B", to, "A", from);
      }
    }
    out.printf(
        """

        In your clusters, look at:
          kubectl -n %1$s get tunnel %2$s -o jsonpath='{.status.publicKey}'   # goes to the other side
          kubectl -n %1$s get tunnel %2$s -o yaml   # status.address, status.conditions, status.peer
          docs/how-it-works.md#site-to-site and docs/troubleshooting.md

        """,
        nsA, toB.getMetadata().getName());
  }

  /**
   * The example pointed at the lab: peer.endpoint the other site's gateway node (the example's
   * port), remoteCIDRs the other site's pods, localCIDRs this site's; over GRE one end of a /31
   * each ({@code addressHost} 0 or 1), as the example's comment says.
   */
  private static Tunnel mirror(
      String example,
      String namespace,
      String peerGateway,
      ClusterLab remote,
      ClusterLab local,
      String addressHost) {
    Tunnel t = TunnelierCluster.example(example);
    t.getMetadata().setNamespace(namespace);
    var spec = t.getSpec();
    String endpoint = spec.getPeer().getEndpoint();
    int colon = endpoint.lastIndexOf(':');
    spec.getPeer().setEndpoint(peerGateway + (colon < 0 ? "" : endpoint.substring(colon)));
    spec.getPeer().setPublicKey(null); // the other side's, once it has one
    spec.getSiteToSite().setRemoteCIDRs(List.of(remote.podSupernet()));
    spec.getSiteToSite().setLocalCIDRs(List.of(local.podSupernet()));
    if (spec.getEncapsulation() != Encapsulation.WIREGUARD && spec.getAddress() == null) {
      spec.setAddress("100.98.0." + addressHost + "/31");
    }
    return t;
  }

  private void crossing(
      ClusterLab lab,
      String fromSite,
      ClusterLab.LabPod from,
      String toSite,
      ClusterLab.LabPod to) {
    String seen = lab.sourceSeenBy(from.ns(), to.ip(), HTTP_PORT);
    out.printf(
        "  %s/%-9s %-12s -> %s/%-9s %-12s  the server sees %s%s%n",
        fromSite,
        from.name(),
        from.ip(),
        toSite,
        to.name(),
        to.ip(),
        seen,
        from.ip().equals(seen) ? " (the client's pod IP)" : "");
  }

  // ---- shared ---------------------------------------------------------------------------------

  private void rtt(String what, OptionalDouble ms, String suffix) {
    out.printf(
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

  private static void waitUntil(
      TunnelierCluster cluster, List<String> components, Supplier<Boolean> condition) {
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
    for (String component : components) {
      logs.append("\n--- ").append(component).append(" ---\n").append(cluster.tail(component, 15));
    }
    throw new IllegalStateException(
        "the Tunnel did not do what the example says within "
            + READY_WITHIN.toSeconds()
            + " s"
            + logs);
  }

  /** Runs one step, printing its title and how long it took. */
  private <T> T step(String title, Supplier<T> action) {
    out.print(dots(title));
    out.flush();
    long start = System.nanoTime();
    T result = action.get();
    out.printf("%5.1f s%n", (System.nanoTime() - start) / 1e9);
    return result;
  }

  private static String dots(String title) {
    return title + " " + ".".repeat(Math.max(2, WIDTH - title.length() - 1)) + " ";
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Only log files: leave them.
    }
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
