package io.tunnelier.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import io.tunnelier.e2e.operator.Cluster;
import io.tunnelier.operator.config.OperatorConfig;
import io.tunnelier.operator.config.OperatorConfigFile;
import io.tunnelier.operator.reconciler.OperatorSettings;
import io.tunnelier.operator.runtime.TunnelierOperator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real operator under the chart's RBAC: installs charts/tunnelier with helm-java, then runs
 * {@link TunnelierOperator} in-process as the chart's ServiceAccount (a TokenRequest token, so RBAC
 * applies as in a pod), configured from the ConfigMap the chart rendered and with leader election
 * on, through a Tunnel's whole life. The API server's audit log then shows every request the
 * operator made: none was denied, and the chart grants nothing the operator did not use (except the
 * calls {@link ChartRbac#OPERATOR_RULES_NOT_EXERCISED} names with their reason).
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorUnderChartRbacIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String OPERATOR_SA = "tunnelier-operator";
  private static final String AGENT_SA = "tunnelier-node-agent";
  private static final String DAEMON_SET = "tunnelier-node-agent";

  private final ControlPlane controlPlane;
  private final KubernetesClient admin;
  private final Cluster cluster;
  private final String id = UUID.randomUUID().toString().substring(0, 6);
  private final String release = "rbac-" + id;
  private final String releaseNs = "tunnelier-rbac-" + id;
  private final String tenantNs = "rbac-tenant-" + id;
  private final String gatewayLabel = "it.tunnelier.io/gateway-" + id;
  private final String nodeA = "rbac-" + id + "-a";
  private final String nodeB = "rbac-" + id + "-b";
  private final String operatorUser = "system:serviceaccount:" + releaseNs + ":" + OPERATOR_SA;

  private KubernetesClient operatorClient;
  // One per node: a token bound to the agent's pod on that node, as the kubelet gives it (the
  // chart's admission policy lets an agent write only its own node's status entry).
  private final Map<String, KubernetesClient> agents = new java.util.HashMap<>();
  private TunnelierOperator operator;
  private String leaseName;
  private LeaseSpec leader;

  OperatorUnderChartRbacIT(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.admin = controlPlane.adminClient();
    this.cluster = new Cluster(admin);
  }

  @BeforeAll
  void installChartAndStartOperator() {
    InstallCommand install =
        new Helm(TunnelierChart.directory())
            .install()
            .withName(release)
            .withNamespace(releaseNs)
            .createNamespace()
            .withKubeConfig(controlPlane.kubeconfig())
            // Values the IT can see in what the operator does: they come through the ConfigMap.
            .set("addressPool", "100.99.0.0/16")
            .set("agent.image.tag", "rbac-it");
    Release installed = install.call();
    System.out.printf(
        "helm install: release=%s namespace=%s status=%s%n",
        installed.getName(), installed.getNamespace(), installed.getStatus());

    cluster.createNamespace(tenantNs);
    cluster.createNode(nodeA, Map.of(gatewayLabel, "true"), "10.244.1.0/24");
    cluster.createNode(nodeB, Map.of(gatewayLabel, "true"), "10.244.2.0/24");

    // What the chart's Deployment would give the operator: its config file and its flags.
    String operatorName = release + "-tunnelier-operator";
    String configYaml =
        admin
            .configMaps()
            .inNamespace(releaseNs)
            .withName(operatorName)
            .get()
            .getData()
            .get("operator.yaml");
    OperatorConfig config = OperatorConfigFile.parse(configYaml);
    List<String> args =
        admin
            .apps()
            .deployments()
            .inNamespace(releaseNs)
            .withName(operatorName)
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getArgs();
    assertThat(args)
        .as("the chart runs the operator with leader election")
        .doesNotContain("--no-leader-election");
    leaseName =
        args.stream()
            .filter(a -> a.startsWith("--lease-name="))
            .map(a -> a.substring("--lease-name=".length()))
            .findFirst()
            .orElseThrow();
    assertThat(admin.serviceAccounts().inNamespace(releaseNs).withName(OPERATOR_SA).get())
        .as("the chart's ServiceAccount")
        .isNotNull();

    operatorClient = controlPlane.clientFor(releaseNs, OPERATOR_SA);
    for (String node : List.of(nodeA, nodeB)) {
      agents.put(node, AgentIdentity.onNode(controlPlane, releaseNs, AGENT_SA, node));
    }
    operator =
        new TunnelierOperator(
            operatorClient,
            new OperatorSettings(config, releaseNs, Clock.systemUTC()),
            leaseName,
            false);
    operator.start();
  }

  @AfterAll
  void stopAndUninstall() {
    if (operator != null) {
      operator.close();
    }
    // Anything a failed test left behind: release it, so the namespace can go.
    for (Tunnel t : admin.resources(Tunnel.class).inNamespace(tenantNs).list().getItems()) {
      admin
          .resources(Tunnel.class)
          .inNamespace(tenantNs)
          .withName(t.getMetadata().getName())
          .edit(
              x -> {
                x.getMetadata().setFinalizers(List.of());
                return x;
              });
    }
    admin.apps().daemonSets().inNamespace(releaseNs).withName(DAEMON_SET).delete();
    Helm.uninstall(release)
        .withNamespace(releaseNs)
        .withKubeConfig(controlPlane.kubeconfig())
        .call();
    if (operatorClient != null) {
      operatorClient.close();
    }
    for (var agent : agents.entrySet()) {
      agent.getValue().close();
      AgentIdentity.release(controlPlane, releaseNs, AGENT_SA, agent.getKey());
    }
    cluster.deleteNode(nodeA);
    cluster.deleteNode(nodeB);
    admin.namespaces().withName(tenantNs).delete();
    admin.namespaces().withName(releaseNs).delete();
  }

  private Tunnel tunnel(String name) {
    return cluster.tunnel(tenantNs, name);
  }

  private Optional<Condition> condition(String name, String type) {
    Tunnel t = tunnel(name);
    if (t == null || t.getStatus() == null || t.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return t.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private String readyReason(String name) {
    return condition(name, "Ready").map(Condition::getReason).orElse(null);
  }

  private Secret secret(String name) {
    return admin.secrets().inNamespace(tenantNs).withName(name).get();
  }

  private DaemonSet daemonSet() {
    return admin.apps().daemonSets().inNamespace(releaseNs).withName(DAEMON_SET).get();
  }

  private static String decoded(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  private String egressYaml(String name, int keepalive, String address) {
    return """
        apiVersion: tunnelier.io/v1alpha1
        kind: Tunnel
        metadata: {name: %s}
        spec:
          type: Egress
          encapsulation: WireGuard
          peer: {endpoint: "203.0.113.10:51820", publicKey: "", keepaliveSeconds: %d}
          gateway: {nodeSelector: {%s: "true"}}
          egress: {podSelector: {matchLabels: {app: scraper}}}
        %s"""
        .formatted(
            name, keepalive, gatewayLabel, address == null ? "" : "  address: " + address + "\n");
  }

  @Test
  @Order(1)
  void holdsTheLeaseWithTheChartsRole() {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Lease lease = admin.leases().inNamespace(releaseNs).withName(leaseName).get();
              return lease != null && lease.getSpec().getHolderIdentity() != null;
            });
    leader = admin.leases().inNamespace(releaseNs).withName(leaseName).get().getSpec();
  }

  @Test
  @Order(2)
  void createsTheSecretsTheDaemonSetAndTheStatus() {
    cluster.createTunnel(tenantNs, egressYaml("egress", 25, null));

    await().atMost(WAIT).until(() -> daemonSet() != null);
    assertThat(daemonSet().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .as("agent.image.tag from the chart's values, through the ConfigMap")
        .endsWith(":rbac-it");
    assertThat(daemonSet().getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(AGENT_SA);

    await()
        .atMost(WAIT)
        .until(() -> secret("egress-keys") != null && secret("egress-peer-config") != null);
    for (Secret s : List.of(secret("egress-keys"), secret("egress-peer-config"))) {
      // No blockOwnerDeletion: the owner reference needs no update on tunnels/finalizers, even
      // where the OwnerReferencesPermissionEnforcement admission plugin is on.
      assertThat(s.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getBlockOwnerDeletion()).isNotEqualTo(Boolean.TRUE));
    }

    await().atMost(WAIT).until(() -> "WaitingForAgents".equals(readyReason("egress")));
    Tunnel waiting = tunnel("egress");
    assertThat(waiting.getMetadata().getFinalizers()).contains("tunnelier.io/cleanup");
    assertThat(waiting.getStatus().getTunnelAddress())
        .as("addressPool from the chart's values")
        .startsWith("100.99.");
    assertThat(waiting.getStatus().getActiveGateway()).isIn(nodeA, nodeB);
  }

  @Test
  @Order(3)
  void selectedPodsFollowPodsComingAndGoing() {
    await().atMost(WAIT).until(() -> Integer.valueOf(0).equals(selectedPods()));
    createPod("scraper-1", "scraper");
    createPod("scraper-2", "scraper");
    createPod("web-1", "web");
    // No kubelet: the test moves them to Running, as a kubelet would.
    setPhase("scraper-1", "Running");
    setPhase("web-1", "Running");
    awaitSelectedPods(1);
    setPhase("scraper-2", "Running");
    awaitSelectedPods(2);
    relabel("scraper-1", "web");
    awaitSelectedPods(1);
    setPhase("scraper-2", "Succeeded");
    awaitSelectedPods(0);
    relabel("web-1", "scraper");
    awaitSelectedPods(1);
    admin.pods().inNamespace(tenantNs).withName("web-1").withGracePeriod(0).delete();
    awaitSelectedPods(0);
  }

  private Integer selectedPods() {
    Tunnel t = tunnel("egress");
    return t == null || t.getStatus() == null ? null : t.getStatus().getSelectedPods();
  }

  private void awaitSelectedPods(int expected) {
    await().atMost(WAIT).until(() -> Integer.valueOf(expected).equals(selectedPods()));
    System.out.println("status.selectedPods = " + expected);
  }

  private void createPod(String name, String app) {
    admin
        .pods()
        .inNamespace(tenantNs)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of("app", app))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("registry.example/scraper:1")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  private void setPhase(String pod, String phase) {
    admin
        .pods()
        .inNamespace(tenantNs)
        .withName(pod)
        .editStatus(
            p -> {
              p.getStatus().setPhase(phase);
              return p;
            });
  }

  private void relabel(String pod, String app) {
    admin
        .pods()
        .inNamespace(tenantNs)
        .withName(pod)
        .edit(
            p -> {
              p.getMetadata().setLabels(Map.of("app", app));
              return p;
            });
  }

  @Test
  @Order(4)
  void agentsReportAndTheTunnelIsReady() {
    String active = tunnel("egress").getStatus().getActiveGateway();
    String standby = active.equals(nodeA) ? nodeB : nodeA;
    Instant since = Instant.now().minusSeconds(5);
    // The agents write with their own ServiceAccount, as in a cluster.
    Cluster.reportAs(
        agents.get(active), tenantNs, "egress", Cluster.healthy(active, NodeRole.GATEWAY, since));
    Cluster.reportAs(
        agents.get(standby), tenantNs, "egress", Cluster.healthy(standby, NodeRole.STANDBY, since));

    await().atMost(WAIT).until(() -> "PeerReachable".equals(readyReason("egress")));
    Tunnel ready = tunnel("egress");
    // The gateway's measurements, and only the gateway's.
    assertThat(ready.getStatus().getPeer().getEndpoint()).isEqualTo("203.0.113.10:51820");
    assertThat(ready.getStatus().getPeer().getLastHandshakeTime())
        .isEqualTo(since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    assertThat(ready.getStatus().getPeer().getRttMillis()).isEqualTo(23.4);
    assertThat(ready.getStatus().getPeer().getLossPercent()).isEqualTo(0.5);
    assertThat(ready.getStatus().getPeer().getRxBytes()).isEqualTo(1_048_576L);
    assertThat(ready.getStatus().getPeer().getTxBytes()).isEqualTo(524_288L);
    assertThat(ready.getStatus().getDetour().getDirectRttMillis()).isEqualTo(18.2);
    assertThat(ready.getStatus().getDetour().getViaTunnelRttMillis()).isEqualTo(23.4);
    System.out.println("=== status under the chart's RBAC ===\n" + Cluster.statusYaml(ready));
  }

  @Test
  @Order(5)
  void aSpecChangeRewritesThePeerConfig() {
    Tunnel edited = tunnel("egress");
    edited.getSpec().getPeer().setKeepaliveSeconds(10);
    admin.resources(Tunnel.class).inNamespace(tenantNs).resource(edited).update();
    await()
        .atMost(WAIT)
        .until(
            () ->
                decoded(secret("egress-peer-config"), "wg0.conf")
                    .contains("PersistentKeepalive = 10"));
  }

  @Test
  @Order(6)
  void anAddressConflictTakesThePeerConfigAway() {
    cluster.createTunnel(tenantNs, egressYaml("fixed", 25, "100.98.0.2/31"));
    await().atMost(WAIT).until(() -> secret("fixed-peer-config") != null);

    // Now it wants the first Tunnel's address: no addresses, so no peer config.
    // A patch, not a read-modify-update: the operator writes the Tunnel's status meanwhile.
    String taken = tunnel("egress").getStatus().getTunnelAddress();
    admin
        .resources(Tunnel.class)
        .inNamespace(tenantNs)
        .withName("fixed")
        .edit(
            t -> {
              t.getSpec().setAddress(taken);
              return t;
            });
    await().atMost(WAIT).until(() -> "AddressConflict".equals(readyReason("fixed")));
    await().atMost(WAIT).until(() -> secret("fixed-peer-config") == null);

    // No agent ever reported on it: nothing to wait for.
    admin.resources(Tunnel.class).inNamespace(tenantNs).withName("fixed").delete();
    await().atMost(WAIT).until(() -> tunnel("fixed") == null);
  }

  @Test
  @Order(7)
  void deletionWaitsForTheAgentsThenEverythingGoes() {
    admin.resources(Tunnel.class).inNamespace(tenantNs).withName("egress").delete();
    await().atMost(WAIT).until(() -> "Deleting".equals(readyReason("egress")));
    for (String node : List.of(nodeA, nodeB)) {
      NodeStatus removed = new NodeStatus();
      removed.setName(node);
      removed.setConditions(
          List.of(Cluster.condition("StateRemoved", true, "Removed", Instant.now())));
      Cluster.reportAs(agents.get(node), tenantNs, "egress", removed);
    }
    await().atMost(WAIT).until(() -> tunnel("egress") == null);
    await()
        .atMost(WAIT)
        .until(() -> secret("egress-keys") == null && secret("egress-peer-config") == null);
    await().atMost(WAIT).until(() -> daemonSet() == null);
  }

  @Test
  @Order(8)
  void noCallWasDeniedAndNoGrantWentUnused() {
    AuditedCalls calls = new AuditedCalls(controlPlane.auditLog().eventsOf(operatorUser));
    System.out.println(
        "=== what the operator did under the chart's RBAC (audit log) ===\n" + calls.describe());
    String operatorName = release + "-tunnelier-operator";
    List<PolicyRule> rules = new ArrayList<>();
    rules.addAll(admin.rbac().clusterRoles().withName(operatorName).get().getRules());
    rules.addAll(
        admin.rbac().roles().inNamespace(releaseNs).withName(operatorName).get().getRules());
    Set<String> granted = AuditedCalls.granted(rules);
    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(calls.used());
    unused.removeAll(ChartRbac.OPERATOR_RULES_NOT_EXERCISED.keySet());
    Set<String> notByChart = new TreeSet<>(calls.used());
    notByChart.removeAll(granted);
    System.out.println("allowed by the cluster's default roles, not the chart: " + notByChart);

    SoftAssertions.assertSoftly(
        softly -> {
          softly
              .assertThat(calls.denied(Set.of(releaseNs, tenantNs)))
              .as("requests of the operator that were denied")
              .isEmpty();
          softly
              .assertThat(unused)
              .as("granted by the chart, never used by the operator")
              .isEmpty();
          for (String call : notByChart) {
            softly
                .assertThat(calls.allowedBy(call))
                .as("%s, not granted by the chart", call)
                .startsWith("RBAC: allowed by ClusterRoleBinding \"system:");
          }
          for (String tunnel : List.of("egress", "fixed")) {
            softly
                .assertThat(cluster.events(tenantNs, tunnel))
                .extracting(e -> e.getReason())
                .as("Events of Tunnel %s", tunnel)
                .doesNotContain("ReconcileError");
          }
          // The shared DaemonSet is applied when it differs from what the operator wants: here
          // only to create it; not on every reconcile of every Tunnel. The two Tunnels' first
          // reconciles run in parallel, and each may find no DaemonSet in the cache yet and apply
          // it (an idempotent server-side apply): so once or twice, never once per reconcile (a
          // DaemonSet that never matched would be applied on each of the dozens of reconciles).
          softly
              .assertThat(calls.count("patch apps/daemonsets"))
              .as("server-side applies of the DaemonSet")
              .isBetween(1, 2);
          // It renewed its Lease and kept it (a renewal RBAC refuses loses it after 10 s).
          LeaseSpec now = admin.leases().inNamespace(releaseNs).withName(leaseName).get().getSpec();
          softly.assertThat(now.getHolderIdentity()).isEqualTo(leader.getHolderIdentity());
          softly.assertThat(now.getAcquireTime()).isEqualTo(leader.getAcquireTime());
          softly.assertThat(now.getRenewTime()).isAfter(leader.getAcquireTime());
        });
  }
}
