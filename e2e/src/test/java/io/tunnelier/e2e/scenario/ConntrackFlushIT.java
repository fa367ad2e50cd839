package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario: a flow that existed before its pod was selected does not keep its node's address. A pod
 * on the member node-b, in the Tunnel's namespace but not selected, sends one long-lived UDP flow
 * (one source port, a numbered datagram every 100 ms) to the internet host, which sees node-b's
 * address. The pod gets the Tunnel's label: once node-b's agent has applied its rules, it deletes
 * the pod's conntrack entries, and the same flow's next datagrams arrive from the VPS; none from
 * node-b's address after the first one through the VPS. Then the label goes again: the flow leaves
 * as node-b once more, none through the VPS after that (between the deselection's rules and its
 * flush, milliseconds, a datagram may leave with the pod's own address: printed). The kernel keeps
 * the NAT it chose for a flow for the flow's life. Selected, the kernel itself drops a masqueraded
 * flow whose output device changed (the lab's CNI masquerades like flannel; one that SNATs to a
 * fixed address would keep it). Deselected, the hop's identity binding is no masquerade: without
 * the flush the flow kept leaving with the pod's own address, every datagram to the end.
 */
@ExtendWith(ControlPlaneExtension.class)
class ConntrackFlushIT {
  private static final int PORT = 9100;
  private static final int SOURCE_PORT = 40123;
  private static final int DATAGRAMS = 900; // one every 100 ms: at most 90 s
  private static final String POD = "mover-b";

  /** One datagram as the internet host saw it. */
  record Seen(String source, int seq) {}

  @Test
  void aPodsFlowTakesItsNewPathWhenItsSelectionChanges(ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("flows");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var mover = cluster.runPod(ns, "node-b", POD, Map.of("app", "web"));
      String name = cluster.applyExample("egress-gre.yaml", ns).getMetadata().getName();
      Scenarios.startEgress(cluster, ns, name, onGateway);
      String nodeB = lab.node("node-b").address();

      Path sinkLog = cluster.log("udp-sink");
      lab.web()
          .spawn(
              sinkLog.toFile(),
              "/usr/bin/python3",
              lab.script("udp_sink.py").toString(),
              ClusterLab.WEB_ADDRESS,
              String.valueOf(PORT),
              "150");
      Scenarios.await(
          cluster,
          "the internet host's UDP sink listens",
          Duration.ofSeconds(15),
          () -> Files.exists(sinkLog) && Files.readString(sinkLog).contains("LISTENING"));
      Process sender =
          mover
              .ns()
              .spawn(
                  cluster.log("udp-sender").toFile(),
                  "/usr/bin/python3",
                  lab.script("udp_sender.py").toString(),
                  ClusterLab.WEB_ADDRESS,
                  String.valueOf(PORT),
                  String.valueOf(SOURCE_PORT),
                  String.valueOf(DATAGRAMS),
                  "100");
      Scenarios.await(
          cluster,
          "the unselected pod's flow arrives from node-b's address",
          Duration.ofSeconds(30),
          () -> count(sinkLog, nodeB, -1) >= 10);

      // Selected: the same flow, from the same socket, now through the VPS.
      label(cluster, ns, "scraper");
      Scenarios.await(
          cluster,
          "the same flow arrives from the VPS",
          Duration.ofSeconds(60),
          () -> count(sinkLog, ClusterLab.VPS_ADDRESS, -1) >= 20);
      int firstViaVps = first(sinkLog, ClusterLab.VPS_ADDRESS, -1);
      long nodeBefore = count(sinkLog, nodeB, -1);
      long nodeAfter =
          seen(sinkLog).stream()
              .filter(s -> s.seq() > firstViaVps)
              .filter(s -> s.source().equals(nodeB))
              .count();
      long vpsAfter = count(sinkLog, ClusterLab.VPS_ADDRESS, -1);

      // Deselected: back to node-b's address, through the node's own route.
      label(cluster, ns, "web");
      Scenarios.await(
          cluster,
          "the flow arrives from node-b's address again",
          Duration.ofSeconds(60),
          () -> count(sinkLog, nodeB, firstViaVps) >= 20);
      int backToNode = first(sinkLog, nodeB, firstViaVps);
      sender.destroy();
      List<Seen> all = seen(sinkLog);
      long vpsAfterDeselect =
          all.stream()
              .filter(s -> s.seq() > backToNode && s.source().equals(ClusterLab.VPS_ADDRESS))
              .count();
      // Between the deselection's rules and its flush (milliseconds), the flow's old entry still
      // holds the hop's identity binding: a datagram may leave with the pod's own address.
      long podAddress = all.stream().filter(s -> s.source().equals(mover.ip())).count();
      List<String> othersAfter =
          all.stream()
              .filter(s -> s.seq() > backToNode)
              .map(Seen::source)
              .filter(s -> !s.equals(nodeB))
              .distinct()
              .toList();
      System.out.printf(
          "[conntrack flush] selected: %d datagrams from node-b before the flip, %d after it;"
              + " %d from the VPS (first: #%d); deselected: back to node-b from #%d, %d from the"
              + " VPS after that; %d from the pod's own address in the deselection's window%n%s%n",
          nodeBefore,
          nodeAfter,
          vpsAfter,
          firstViaVps,
          backToNode,
          vpsAfterDeselect,
          podAddress,
          cluster
              .tail("node-b-agent", 200)
              .lines()
              .filter(l -> l.contains("conntrack"))
              .reduce("", (a, b) -> a + b + "\n"));
      assertThat(nodeAfter)
          .as("datagrams from node-b's address after the first one through the VPS")
          .isZero();
      assertThat(
              all.stream()
                  .filter(s -> s.seq() > firstViaVps && s.seq() < backToNode)
                  .map(Seen::source)
                  .distinct()
                  .toList())
          .as("while selected, every datagram after the first through the VPS came through it")
          .allMatch(s -> s.equals(ClusterLab.VPS_ADDRESS) || s.equals(mover.ip()));
      assertThat(vpsAfterDeselect)
          .as("datagrams through the VPS after the flow left as node-b again")
          .isZero();
      assertThat(othersAfter).as("sources after the flow left as node-b again").isEmpty();
      assertThat(Files.readString(cluster.log("node-b-agent")))
          .contains("flushed the conntrack entries of pods whose path changed");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void label(TunnelierCluster cluster, String ns, String app) {
    cluster
        .admin()
        .pods()
        .inNamespace(ns)
        .withName(POD)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"app\":\"" + app + "\"}}}");
  }

  /** Every datagram the sink logged, in arrival order. */
  private static List<Seen> seen(Path log) {
    try {
      return Files.readAllLines(log).stream()
          .map(l -> l.split(" "))
          .filter(f -> f.length == 3 && f[2].matches("\\d+"))
          .map(f -> new Seen(f[0], Integer.parseInt(f[2])))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Datagrams from {@code source} numbered above {@code after} (-1: all). */
  private static long count(Path log, String source, int after) {
    return seen(log).stream().filter(s -> s.seq() > after && s.source().equals(source)).count();
  }

  /** The number of the first datagram from {@code source} above {@code after}. */
  private static int first(Path log, String source, int after) {
    return seen(log).stream()
        .filter(s -> s.seq() > after && s.source().equals(source))
        .mapToInt(Seen::seq)
        .findFirst()
        .orElseThrow();
  }
}
