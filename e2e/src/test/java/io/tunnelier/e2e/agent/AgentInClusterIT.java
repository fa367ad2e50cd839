package io.tunnelier.e2e.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tunnelier.agent.it.AgentProcess;
import io.tunnelier.agent.it.Census;
import io.tunnelier.agent.lab.Netns;
import io.tunnelier.api.v1alpha1.EgressSpec;
import io.tunnelier.api.v1alpha1.Encapsulation;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.PeerSpec;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelSpec;
import io.tunnelier.api.v1alpha1.TunnelType;
import io.tunnelier.e2e.cluster.LabKubelet;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.k8s.TunnelCrd;
import io.tunnelier.e2e.lab.ApiServerBridge;
import io.tunnelier.e2e.lab.ClusterLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent in-cluster mode against a real API server: two lab nodes run the agent (informers,
 * RBAC-limited ServiceAccount, status by server-side apply), the VPS runs the standalone agent, and
 * a test plays the operator (status, finalizer). Pods on both nodes reach the web through the VPS;
 * a pod labelled later follows; deleting the Tunnel removes everything and each node says so. The
 * tunnel device is the veth stand-in of node-agent's tests (no GRE/WireGuard datapath yet).
 */
@ExtendWith(ControlPlaneExtension.class)
class AgentInClusterIT {
  static final Duration CONVERGE = Duration.ofSeconds(90);
  static final String FINALIZER = "tunnelier.io/e2e-operator";

  @Test
  void egressInAClusterWithStatusAndCleanup(ControlPlane controlPlane) throws Exception {
    KubernetesClient admin = controlPlane.adminClient();
    TunnelCrd.install(admin);
    String ns = "agent-e2e-" + Long.toHexString(System.nanoTime() & 0xffffff);
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(ns + "-sys").endMetadata().build())
        .create();
    AgentRbac.grant(admin, ns + "-sys", "tunnelier-agent");
    List<AgentProcess> agents = new ArrayList<>();
    try (ClusterLab cluster = ClusterLab.create(2, false);
        ApiServerBridge bridge = ApiServerBridge.start(controlPlane.url(), cluster.workDir())) {
      Path kubeconfig =
          controlPlane.kubeconfigFor(ns + "-sys", "tunnelier-agent", ApiServerBridge.IN_NODE_URL);
      LabKubelet kubelet = new LabKubelet(admin);
      for (String node : List.of("node-a", "node-b")) {
        admin.nodes().withName(node).delete(); // a node of an earlier test in this control plane
        kubelet.register(cluster.node(node), node.equals("node-a"));
        bridge.attach(
            cluster.node(node).ns(), cluster.workDir().resolve("bridge-" + node + ".log").toFile());
      }
      var scraperA = cluster.addPod("node-a", "scraper-a", Map.of("app", "scraper"));
      var scraperB = cluster.addPod("node-b", "scraper-b", Map.of("app", "scraper"));
      var webB = cluster.addPod("node-b", "web-b", Map.of("app", "web"));
      for (var pod : List.of(scraperA, scraperB, webB)) {
        kubelet.run(ns, pod);
      }
      assertThat(cluster.sourceSeenByWeb(scraperB.ns()))
          .isEqualTo("192.0.2.12"); // before: the node's address

      // The operator's part: the Tunnel, its finalizer, its status.
      Tunnel tunnel = tunnel(ns);
      admin.resources(Tunnel.class).inNamespace(ns).resource(tunnel).create();
      admin
          .resources(Tunnel.class)
          .inNamespace(ns)
          .withName("egress")
          .subresource("status")
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.SERVER_SIDE_APPLY)
                  .withFieldManager("tunnelier-operator")
                  .withForce(true)
                  .build(),
              """
          {"apiVersion": "tunnelier.io/v1alpha1", "kind": "Tunnel", "metadata": {"name": "egress", "namespace": "%s"},
           "status": {"activeGateway": "node-a", "standbyGateways": [], "tunnelAddress": "100.96.0.2/31",
                      "peerAddress": "100.96.0.3/31"}}
          """
                  .formatted(ns));
      Path peer = cluster.workDir().resolve("peer.yaml");
      Files.writeString(
          peer,
          """
          apiVersion: tunnelier.io/v1alpha1
          kind: StandaloneConfig
          tunnels:
          - name: %s/egress
            type: Egress
            encapsulation: GRE
            listen: 203.0.113.10
            greKey: 4242
            address: 100.96.0.3/31
            peerAddress: 100.96.0.2/31
          """
              .formatted(ns));

      Netns nodeA = cluster.node("node-a").ns();
      Netns nodeB = cluster.node("node-b").ns();
      agents.add(
          AgentProcess.start(
              cluster.vps(),
              cluster.workDir().resolve("vps-agent.log"),
              Map.of(AgentProcess.STAND_IN, nodeA.name()),
              "standalone",
              "--config",
              peer.toString(),
              "--enable-ip-forward",
              "--resync-period",
              "5s"));
      for (String node : List.of("node-a", "node-b")) {
        agents.add(
            AgentProcess.start(
                cluster.node(node).ns(),
                cluster.workDir().resolve(node + "-agent.log"),
                Map.of(
                    AgentProcess.STAND_IN,
                    cluster.vps().name(),
                    "KUBECONFIG",
                    kubeconfig.toString(),
                    "NODE_NAME",
                    node),
                "agent",
                "--resync-period",
                "5s",
                "--status-min-interval",
                "1s"));
      }

      await(
          agents,
          "node-a reports Gateway, Userspace, link up and programmed",
          () ->
              entry(admin, ns, "node-a")
                  .filter(
                      e ->
                          "Gateway".equals(String.valueOf(json(e.getRole())))
                              && e.getDatapath() != null
                              && isTrue(e, "LinkUp")
                              && isTrue(e, "RoutesProgrammed")
                              && isTrue(e, "NATProgrammed"))
                  .isPresent());
      await(
          agents,
          "node-b reports Member with its VXLAN hop up",
          () ->
              entry(admin, ns, "node-b")
                  .filter(e -> isTrue(e, "LinkUp") && isTrue(e, "RoutesProgrammed"))
                  .isPresent());
      NodeStatus a = entry(admin, ns, "node-a").orElseThrow();
      assertThat(json(a.getDatapath())).isEqualTo("Userspace");
      assertThat(json(entry(admin, ns, "node-b").orElseThrow().getRole())).isEqualTo("Member");

      // Each agent owns its entry only; the operator's fields are untouched.
      Tunnel live = admin.resources(Tunnel.class).inNamespace(ns).withName("egress").get();
      assertThat(live.getStatus().getActiveGateway()).isEqualTo("node-a");
      assertThat(live.getStatus().getTunnelAddress()).isEqualTo("100.96.0.2/31");
      assertThat(live.getMetadata().getManagedFields())
          .extracting(m -> m.getManager())
          .contains("tunnelier-operator", "tunnelier-agent/node-a", "tunnelier-agent/node-b");

      // Selected pods on both nodes leave through the VPS; the others do not.
      await(
          agents,
          "scraper-a seen as the VPS",
          () -> ClusterLab.VPS_ADDRESS.equals(cluster.sourceSeenByWeb(scraperA.ns())));
      await(
          agents,
          "scraper-b (member node, VXLAN hop) seen as the VPS",
          () -> ClusterLab.VPS_ADDRESS.equals(cluster.sourceSeenByWeb(scraperB.ns())));
      assertThat(cluster.sourceSeenByWeb(webB.ns())).isEqualTo("192.0.2.12");

      // A pod that starts matching the selector follows (informer → reconcile).
      admin
          .pods()
          .inNamespace(ns)
          .withName("web-b")
          .edit(
              p -> {
                p.getMetadata().getLabels().put("app", "scraper");
                return p;
              });
      await(
          agents,
          "web-b now seen as the VPS",
          () -> ClusterLab.VPS_ADDRESS.equals(cluster.sourceSeenByWeb(webB.ns())));

      // Deleting the Tunnel: every node removes its state and says so; then the finalizer goes.
      // (The VPS agent stops first: the veth stand-in would otherwise re-create its node-a end.)
      agents.get(0).stop();
      admin.resources(Tunnel.class).inNamespace(ns).withName("egress").delete();
      await(
          agents,
          "both nodes report StateRemoved",
          () ->
              entry(admin, ns, "node-a").filter(e -> isTrue(e, "StateRemoved")).isPresent()
                  && entry(admin, ns, "node-b").filter(e -> isTrue(e, "StateRemoved")).isPresent());
      assertThat(Census.of(nodeA).empty()).as(Census.of(nodeA).counts()).isTrue();
      assertThat(Census.of(nodeB).empty()).as(Census.of(nodeB).counts()).isTrue();
      admin
          .resources(Tunnel.class)
          .inNamespace(ns)
          .withName("egress")
          .edit(
              t -> {
                t.getMetadata().getFinalizers().remove(FINALIZER);
                return t;
              });
      await(
          agents,
          "the Tunnel is gone",
          () -> admin.resources(Tunnel.class).inNamespace(ns).withName("egress").get() == null);
      assertThat(cluster.sourceSeenByWeb(scraperB.ns())).isEqualTo("192.0.2.12");
    } finally {
      for (AgentProcess agent : agents) {
        agent.killHard();
      }
      admin.nodes().withName("node-a").delete();
      admin.nodes().withName("node-b").delete();
      admin.namespaces().withName(ns).delete();
      admin.namespaces().withName(ns + "-sys").delete();
    }
  }

  static Tunnel tunnel(String ns) {
    Tunnel t = new Tunnel();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withName("egress")
            .withNamespace(ns)
            .withFinalizers(FINALIZER)
            .build());
    TunnelSpec spec = new TunnelSpec();
    spec.setType(TunnelType.EGRESS);
    spec.setEncapsulation(Encapsulation.GRE);
    PeerSpec peer = new PeerSpec();
    peer.setEndpoint(ClusterLab.VPS_ADDRESS);
    peer.setGreKey(4242L);
    spec.setPeer(peer);
    EgressSpec egress = new EgressSpec();
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(Map.of("app", "scraper"));
    egress.setPodSelector(selector);
    egress.setKillSwitch(true);
    spec.setEgress(egress);
    t.setSpec(spec);
    return t;
  }

  static Optional<NodeStatus> entry(KubernetesClient client, String ns, String node) {
    Tunnel t = client.resources(Tunnel.class).inNamespace(ns).withName("egress").get();
    if (t == null || t.getStatus() == null || t.getStatus().getNodes() == null) {
      return Optional.empty();
    }
    return t.getStatus().getNodes().stream().filter(n -> node.equals(n.getName())).findFirst();
  }

  static boolean isTrue(NodeStatus e, String type) {
    if (e.getConditions() == null) {
      return false;
    }
    for (Condition c : e.getConditions()) {
      if (type.equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** An enum as the API writes it (its @JsonProperty name). */
  static String json(Object value) {
    return value == null
        ? null
        : io.fabric8.kubernetes.client.utils.Serialization.asJson(value).replace("\"", "");
  }

  static void await(List<AgentProcess> agents, String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet (e.g. the object is being replaced)
      }
      Thread.sleep(250);
    }
    StringBuilder logs = new StringBuilder();
    for (AgentProcess a : agents) {
      String log = a.logText();
      logs.append("\n--- agent log ---\n")
          .append(log.length() > 5000 ? log.substring(log.length() - 5000) : log);
    }
    throw new AssertionError("timed out waiting for: " + what + logs);
  }
}
