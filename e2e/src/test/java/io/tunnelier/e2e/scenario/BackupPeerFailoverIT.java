package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.tunnelier.api.v1alpha1.BackupPeerSpec;
import io.tunnelier.api.v1alpha1.PeerSwitch;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelStatus;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two VPS for one Tunnel: the primary's agent stops, the gateway fails over to the backup (the web
 * host sees the second VPS's address), no packet leaves from a node's own address in between; the
 * primary returns and traffic fails back after the hold-down; both stop and the kill switch holds
 * (Ready False, NoHealthyPeer). Status and Events say each switch.
 */
@ExtendWith(ControlPlaneExtension.class)
class BackupPeerFailoverIT {
  private static final Duration REQUEST = Duration.ofSeconds(1);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"egress-wireguard.yaml", "egress-gre.yaml"})
  void failsOverToTheBackupAndBack(String example, ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("scraping");
      var onGateway = cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      var onMember = cluster.runPod(ns, "node-b", "scraper-b", Map.of("app", "scraper"));
      Tunnel t = cluster.loadExample(example, ns);
      BackupPeerSpec backup = new BackupPeerSpec();
      backup.setName("vps-b");
      String primary = t.getSpec().getPeer().getEndpoint();
      backup.setEndpoint(primary.replace(ClusterLab.VPS_ADDRESS, ClusterLab.VPS_2_ADDRESS));
      t.getSpec().setBackupPeers(List.of(backup));
      String name = cluster.apply(t).getMetadata().getName();
      cluster.startAgents();
      cluster.startVps(ns, name);
      cluster.startSecondVps(ns, name, "vps-b");
      var pods = List.of(onGateway, onMember);
      for (var pod : pods) {
        Scenarios.await(
            cluster,
            pod.name() + " leaves through the primary VPS",
            Duration.ofSeconds(120),
            () -> ClusterLab.VPS_ADDRESS.equals(lab.sourceSeenByWeb(pod.ns())));
      }
      Scenarios.await(
          cluster,
          "status: primary in use, both peers healthy",
          Duration.ofSeconds(90),
          () -> {
            TunnelStatus s = cluster.tunnel(ns, name).getStatus();
            return s != null
                && "primary".equals(s.getActivePeer())
                && s.getPeerPaths() != null
                && s.getPeerPaths().size() == 2
                && s.getPeerPaths().stream().allMatch(p -> Boolean.TRUE.equals(p.getHealthy()));
          });
      TunnelStatus before = cluster.tunnel(ns, name).getStatus();
      System.out.printf(
          "[backup peers %s] before: activePeer=%s, peerPaths %s%n",
          example, before.getActivePeer(), paths(before));

      String nodeA = lab.node("node-a").address();
      String nodeB = lab.node("node-b").address();
      long leaksBefore = lab.webRequestsFrom(nodeA) + lab.webRequestsFrom(nodeB);

      // The primary VPS goes away: every request until both pods leave through the backup.
      cluster.stopVps();
      long stopped = System.nanoTime();
      java.time.Instant stoppedAt = java.time.Instant.now();
      Map<String, Double> failedOver = new TreeMap<>();
      List<String> seen = new ArrayList<>();
      long deadline = stopped + Duration.ofSeconds(60).toNanos();
      while (failedOver.size() < pods.size() && System.nanoTime() < deadline) {
        for (var pod : pods) {
          String source = lab.sourceSeenByWeb(pod.ns(), REQUEST);
          seen.add(source);
          if (ClusterLab.VPS_2_ADDRESS.equals(source)) {
            failedOver.putIfAbsent(pod.name(), (System.nanoTime() - stopped) / 1e9);
          }
        }
      }
      System.out.printf(
          "[backup peers %s] primary VPS stopped: traffic through the backup after %s s;"
              + " %d requests meanwhile: %d failed, %d via the backup, %d via the primary%n",
          example,
          failedOver,
          seen.size(),
          seen.stream().filter(s -> s == null).count(),
          seen.stream().filter(ClusterLab.VPS_2_ADDRESS::equals).count(),
          seen.stream().filter(ClusterLab.VPS_ADDRESS::equals).count());
      assertThat(failedOver).as("pods leaving through the backup VPS").hasSize(pods.size());
      assertThat(seen)
          .as("what the web host answered during the failover")
          .allMatch(
              s ->
                  s == null
                      || Set.of(ClusterLab.VPS_ADDRESS, ClusterLab.VPS_2_ADDRESS).contains(s));
      assertThat(lab.webRequestsFrom(nodeA) + lab.webRequestsFrom(nodeB))
          .as("requests the web host saw from the nodes' own addresses (leaks)")
          .isEqualTo(leaksBefore);

      Scenarios.await(
          cluster,
          "status: vps-b in use",
          Duration.ofSeconds(60),
          () -> "vps-b".equals(cluster.tunnel(ns, name).getStatus().getActivePeer()));
      TunnelStatus onBackup = cluster.tunnel(ns, name).getStatus();
      PeerSwitch sw = onBackup.getLastPeerSwitch();
      System.out.printf(
          "[backup peers %s] on the backup: lastPeerSwitch %s -> %s %.1f s after the stop: %s;"
              + " peerPaths %s%n",
          example,
          sw.getFrom(),
          sw.getTo(),
          Duration.between(stoppedAt, java.time.Instant.parse(sw.getTime())).toMillis() / 1000.0,
          sw.getReason(),
          paths(onBackup));
      assertThat(sw.getFrom()).isEqualTo("primary");
      assertThat(sw.getTo()).isEqualTo("vps-b");
      assertThat(sw.getReason()).startsWith("primary unhealthy");
      Scenarios.await(
          cluster,
          "a PeerFailover Event",
          Duration.ofSeconds(60),
          () -> !peerEvents(cluster, ns, name).isEmpty());
      peerEvents(cluster, ns, name)
          .forEach(
              e ->
                  System.out.printf(
                      "[backup peers %s] Event %s %s: %s%n",
                      example, e.getType(), e.getReason(), e.getMessage()));

      // The primary returns: traffic moves back after the failback hold-down (10 probes).
      cluster.startVps(ns, name);
      long back = System.nanoTime();
      Map<String, Double> failedBack = new TreeMap<>();
      List<String> seenBack = new ArrayList<>();
      deadline = back + Duration.ofSeconds(90).toNanos();
      while (failedBack.size() < pods.size() && System.nanoTime() < deadline) {
        for (var pod : pods) {
          String source = lab.sourceSeenByWeb(pod.ns(), REQUEST);
          seenBack.add(source);
          if (ClusterLab.VPS_ADDRESS.equals(source)) {
            failedBack.putIfAbsent(pod.name(), (System.nanoTime() - back) / 1e9);
          }
        }
      }
      System.out.printf(
          "[backup peers %s] primary VPS back: traffic through it again after %s s; %d requests"
              + " meanwhile: %d failed%n",
          example, failedBack, seenBack.size(), seenBack.stream().filter(s -> s == null).count());
      assertThat(failedBack).as("pods leaving through the primary again").hasSize(pods.size());
      Scenarios.await(
          cluster,
          "status: primary in use again",
          Duration.ofSeconds(60),
          () -> "primary".equals(cluster.tunnel(ns, name).getStatus().getActivePeer()));
      PeerSwitch failback = cluster.tunnel(ns, name).getStatus().getLastPeerSwitch();
      System.out.printf(
          "[backup peers %s] failback: %s -> %s: %s%n",
          example, failback.getFrom(), failback.getTo(), failback.getReason());
      assertThat(failback.getReason()).startsWith("failback");

      // Both VPS gone: no healthy peer, the kill switch holds, status says so.
      cluster.stopVps();
      cluster.stopSecondVps();
      Scenarios.await(
          cluster,
          "status: no healthy peer",
          Duration.ofSeconds(60),
          () -> {
            Tunnel now = cluster.tunnel(ns, name);
            return "".equals(now.getStatus().getActivePeer())
                && "NoHealthyPeer".equals(Scenarios.condition(now, "Ready").getReason());
          });
      Tunnel none = cluster.tunnel(ns, name);
      System.out.printf(
          "[backup peers %s] both VPS stopped: Ready=%s %s: %s%n",
          example,
          Scenarios.condition(none, "Ready").getStatus(),
          Scenarios.condition(none, "Ready").getReason(),
          Scenarios.condition(none, "Ready").getMessage());
      for (int i = 0; i < 3; i++) {
        for (var pod : pods) {
          assertThat(lab.sourceSeenByWeb(pod.ns(), REQUEST))
              .as("%s's request #%d while no VPS is healthy", pod.name(), i + 1)
              .isNull();
        }
      }
      assertThat(lab.webRequestsFrom(nodeA) + lab.webRequestsFrom(nodeB))
          .as("requests from the nodes' own addresses, over the whole test")
          .isEqualTo(leaksBefore);
    }
  }

  private static String paths(TunnelStatus s) {
    return s.getPeerPaths() == null
        ? "[]"
        : s.getPeerPaths().stream()
            .map(
                p ->
                    p.getName()
                        + "{"
                        + p.getTunnelAddress()
                        + " healthy="
                        + p.getHealthy()
                        + " loss="
                        + p.getLossPercent()
                        + " rtt="
                        + p.getRttMillis()
                        + (p.getReason() == null ? "" : " reason=" + p.getReason())
                        + "}")
            .toList()
            .toString();
  }

  private static List<Event> peerEvents(TunnelierCluster cluster, String ns, String name) {
    return cluster.admin().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "PeerFailover".equals(e.getReason()))
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }
}
