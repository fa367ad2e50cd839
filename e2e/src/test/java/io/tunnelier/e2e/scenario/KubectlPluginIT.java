package io.tunnelier.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.cluster.TunnelierCluster;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.lab.ClusterLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kubectl tunnelier} as a user runs it: the control plane's real kubectl finds the plugin's
 * launcher ({@code cli/target/kubectl-tunnelier}) on PATH, with the admin kubeconfig in KUBECONFIG,
 * against a lab cluster with real agents. Three Tunnels: a healthy one through the VPS, one whose
 * endpoint is a port where nothing answers on the VPS (the tunnel comes up on the gateway, no
 * handshake ever completes), and one whose gateway selector matches no node. {@code status} shows
 * all three, {@code diagnose} names each broken one's cause, and {@code vps-config} prints the
 * healthy one's peer.yaml. The outputs are printed for the record.
 */
@ExtendWith(ControlPlaneExtension.class)
class KubectlPluginIT {
  private static final Duration WAIT = Duration.ofSeconds(150);

  @Test
  void statusShowsTheTunnelsAndDiagnoseNamesTheCause(ControlPlane controlPlane) {
    try (ClusterLab lab = ClusterLab.create(2, false);
        TunnelierCluster cluster = TunnelierCluster.install(controlPlane, lab, List.of("node-a"))) {
      String ns = cluster.namespace("plugin");
      cluster.runPod(ns, "node-a", "scraper-a", Map.of("app", "scraper"));
      cluster.runPod(ns, "node-b", "other-b", Map.of("app", "other"));

      Tunnel healthy = cluster.applyExample("egress-wireguard.yaml", ns);
      Tunnel dead = cluster.loadExample("egress-wireguard.yaml", ns);
      dead.getMetadata().setName("egress-dead");
      dead.getSpec().getPeer().setEndpoint(ClusterLab.VPS_ADDRESS + ":51821");
      dead.getSpec().getEgress().getPodSelector().setMatchLabels(Map.of("app", "other"));
      cluster.apply(dead);
      Tunnel noGateway = cluster.loadExample("egress-wireguard.yaml", ns);
      noGateway.getMetadata().setName("egress-nogw");
      noGateway.getSpec().getGateway().setNodeSelector(Map.of("tunnelier.io/gateway", "nyc"));
      noGateway.getSpec().getEgress().getPodSelector().setMatchLabels(Map.of("app", "nobody"));
      cluster.apply(noGateway);

      cluster.startAgents();
      cluster.startVps(ns, healthy.getMetadata().getName());

      Scenarios.await(
          cluster,
          "egress-nyc is Ready",
          WAIT,
          () -> Scenarios.conditionTrue(cluster.tunnel(ns, "egress-nyc"), "Ready"));
      Scenarios.await(
          cluster,
          "egress-dead is Ready=False with PeerUnreachable",
          WAIT,
          () -> "PeerUnreachable".equals(readyReason(cluster.tunnel(ns, "egress-dead"))));
      Scenarios.await(
          cluster,
          "egress-nogw is Ready=False with NoGatewayCandidate",
          WAIT,
          () -> "NoGatewayCandidate".equals(readyReason(cluster.tunnel(ns, "egress-nogw"))));

      Run table = plugin(controlPlane, "-n", ns, "status");
      System.out.println("$ kubectl tunnelier -n " + ns + " status\n" + table.out());
      assertThat(table.exit()).as(table.err()).isZero();
      Run status = plugin(controlPlane, "status", "-n", ns, "-o", "wide");
      System.out.println("$ kubectl tunnelier status -n " + ns + " -o wide\n" + status.out());
      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.out().lines().toList())
          .anySatisfy(l -> assertThat(l).contains("egress-nyc", "True", "PeerReachable", "node-a"))
          .anySatisfy(l -> assertThat(l).contains("egress-dead", "False", "PeerUnreachable"))
          .anySatisfy(l -> assertThat(l).contains("egress-nogw", "False", "NoGatewayCandidate"));

      Run detail = plugin(controlPlane, "status", "-n", ns, "egress-nyc");
      System.out.println("$ kubectl tunnelier status -n " + ns + " egress-nyc\n" + detail.out());
      assertThat(detail.out()).contains("Gateway:     node-a", "Peer health: RTT ");

      Run diagnoseDead = plugin(controlPlane, "diagnose", "-n", ns, "egress-dead");
      System.out.println(
          "$ kubectl tunnelier diagnose -n " + ns + " egress-dead\n" + diagnoseDead.out());
      assertThat(diagnoseDead.exit()).as(diagnoseDead.err()).isEqualTo(1);
      assertThat(diagnoseDead.out())
          .contains(
              "Cause: handshake: no WireGuard handshake with "
                  + ClusterLab.VPS_ADDRESS
                  + ":51821 has completed on gateway node-a");

      Run diagnoseNoGateway = plugin(controlPlane, "diagnose", "-n", ns, "egress-nogw");
      System.out.println(
          "$ kubectl tunnelier diagnose -n " + ns + " egress-nogw\n" + diagnoseNoGateway.out());
      assertThat(diagnoseNoGateway.exit()).as(diagnoseNoGateway.err()).isEqualTo(1);
      assertThat(diagnoseNoGateway.out())
          .contains(
              "Cause: gateway candidates: no node matches spec.gateway.nodeSelector"
                  + " {tunnelier.io/gateway=nyc}");

      Run diagnoseHealthy = plugin(controlPlane, "diagnose", "-n", ns, "egress-nyc");
      System.out.println(
          "$ kubectl tunnelier diagnose -n " + ns + " egress-nyc\n" + diagnoseHealthy.out());
      assertThat(diagnoseHealthy.exit()).as(diagnoseHealthy.out()).isZero();

      Run vpsConfig = plugin(controlPlane, "vps-config", "-n", ns, "egress-nyc");
      assertThat(vpsConfig.exit()).as(vpsConfig.err()).isZero();
      String secretPeerYaml =
          new String(
              java.util.Base64.getDecoder()
                  .decode(
                      cluster
                          .admin()
                          .secrets()
                          .inNamespace(ns)
                          .withName("egress-nyc-peer-config")
                          .get()
                          .getData()
                          .get("peer.yaml")),
              StandardCharsets.UTF_8);
      assertThat(vpsConfig.out()).isEqualTo(secretPeerYaml);

      Path wgConf = lab.workDir().resolve("plugin-wg0.conf");
      Run written =
          plugin(
              controlPlane,
              "vps-config",
              "-n",
              ns,
              "egress-nyc",
              "-f",
              "wg0.conf",
              "-o",
              wgConf.toString());
      assertThat(written.exit()).as(written.err()).isZero();
      try {
        assertThat(Files.readString(wgConf))
            .isEqualTo(
                new String(
                    java.util.Base64.getDecoder()
                        .decode(
                            cluster
                                .admin()
                                .secrets()
                                .inNamespace(ns)
                                .withName("egress-nyc-peer-config")
                                .get()
                                .getData()
                                .get("wg0.conf")),
                    StandardCharsets.UTF_8));
        assertThat(
                java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(wgConf)))
            .isEqualTo("rw-------");
        Files.delete(wgConf);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String readyReason(Tunnel t) {
    Condition c = Scenarios.condition(t, "Ready");
    return c == null ? null : c.getReason();
  }

  private record Run(int exit, String out, String err) {}

  /** {@code kubectl tunnelier ARGS} with the plugin's launcher on PATH. */
  private static Run plugin(ControlPlane controlPlane, String... args) {
    Path launcherDir = TunnelierCluster.repoRoot().resolve("cli/target");
    assertThat(launcherDir.resolve("kubectl-tunnelier"))
        .as("the plugin's launcher (built by the cli module)")
        .isExecutable();
    List<String> command = new ArrayList<>();
    command.add(controlPlane.kubectlPath());
    command.add("tunnelier");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PATH", launcherDir + ":" + System.getenv("PATH"));
    pb.environment().put("KUBECONFIG", controlPlane.kubeconfig().toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    try {
      Path err = Files.createTempFile("kubectl-tunnelier-", ".err");
      try {
        Process p = pb.redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new AssertionError("kubectl tunnelier did not finish: " + command);
        }
        return new Run(p.exitValue(), out, Files.readString(err));
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
