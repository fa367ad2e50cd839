package io.tunnelier.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Installs charts/tunnelier into a real kube-apiserver with helm-java, then acts as the chart's
 * ServiceAccounts (tokens from the TokenRequest API, so RBAC applies as in a cluster): every call
 * the operator and the node agent make is allowed, and calls outside their scope get 403.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartInstallIT {
  private static final String RELEASE_NS = "tunnelier-chart-it";
  private static final String TENANT_NS = "chart-it-tenant";
  private static final String OPERATOR_SA = "tunnelier-operator";
  private static final String AGENT_SA = "tunnelier-node-agent";
  private static final String LEASE = "tunnelier-operator";
  private static final String NODE = "chart-it-node";

  private static ControlPlane controlPlane;
  private static KubernetesClient admin;
  private static KubernetesClient operator;
  private static KubernetesClient agent;
  private static Release release;

  @BeforeAll
  static void install(ControlPlane cp) {
    controlPlane = cp;
    admin = cp.adminClient();
    release =
        new Helm(TunnelierChart.directory())
            .install()
            .withName(TunnelierChart.RELEASE)
            .withNamespace(RELEASE_NS)
            .createNamespace()
            .withKubeConfig(cp.kubeconfig())
            .call();
    System.out.printf(
        "helm install: release=%s namespace=%s status=%s chart=%s%n%s%n",
        release.getName(),
        release.getNamespace(),
        release.getStatus(),
        release.getChart(),
        release.getOutput());
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(TENANT_NS).endMetadata().build())
        .createOr(existing -> existing.update());
    // A Node object (no kubelet behind it): what the agents and the operator read.
    admin
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build())
        .createOr(existing -> existing.update());
    operator = cp.clientFor(RELEASE_NS, OPERATOR_SA);
    // As in a cluster: a token bound to the agent's pod on its node (the chart's admission policy
    // lets an agent write only the status entry of the node its token names).
    agent = AgentIdentity.onNode(cp, RELEASE_NS, AGENT_SA, NODE);
  }

  /** The control plane is shared by every IT of this JVM: leave nothing of ours behind. */
  @AfterAll
  static void cleanUp() {
    if (operator != null) {
      operator.close();
    }
    if (agent != null) {
      agent.close();
    }
    if (admin != null) {
      AgentIdentity.release(controlPlane, RELEASE_NS, AGENT_SA, NODE);
      admin.nodes().withName(NODE).delete();
      admin.namespaces().withName(TENANT_NS).delete();
      admin.namespaces().withName(RELEASE_NS).delete();
    }
  }

  @Test
  @Order(1)
  void installCreatesTheChartsObjectsAndTheCrd() {
    assertThat(release.getStatus()).isEqualTo("deployed");
    assertThat(release.getOutput()).contains("kubectl label node <node> tunnelier.io/gateway=true");
    assertThat(
            admin.apps().deployments().inNamespace(RELEASE_NS).withName("tunnelier-operator").get())
        .isNotNull();
    assertThat(admin.serviceAccounts().inNamespace(RELEASE_NS).withName(AGENT_SA).get())
        .isNotNull();
    assertThat(admin.configMaps().inNamespace(RELEASE_NS).withName("tunnelier-operator").get())
        .isNotNull();
    assertThat(admin.rbac().clusterRoles().withName("tunnelier-operator").get().getRules())
        .containsExactlyElementsOf(ChartRbac.operatorClusterRules());
    assertThat(admin.rbac().clusterRoles().withName("tunnelier-node-agent").get().getRules())
        .containsExactlyElementsOf(ChartRbac.agentRules());
    assertThat(
            admin
                .rbac()
                .roles()
                .inNamespace(RELEASE_NS)
                .withName("tunnelier-operator")
                .get()
                .getRules())
        .containsExactlyElementsOf(ChartRbac.operatorNamespaceRules(LEASE));
    assertThat(
            admin
                .rbac()
                .roles()
                .inNamespace(RELEASE_NS)
                .withName("tunnelier-node-agent")
                .get()
                .getRules())
        .containsExactlyElementsOf(ChartRbac.agentNamespaceRules());
    var crd =
        admin
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("tunnels.tunnelier.io")
            .get();
    assertThat(crd).isNotNull();
    // Apart from other projects' Tunnel kinds: kubectl get tnl, kubectl get tunnelier.
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("tnl");
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("tunnelier");
    // The API server takes the metrics Services as rendered (the headless one keeps not-ready
    // agents listed).
    var operatorService =
        admin.services().inNamespace(RELEASE_NS).withName("tunnelier-operator").get();
    assertThat(operatorService.getSpec().getPorts().get(0).getName()).isEqualTo("metrics");
    var agentService =
        admin.services().inNamespace(RELEASE_NS).withName("tunnelier-node-agent").get();
    assertThat(agentService.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(agentService.getSpec().getPublishNotReadyAddresses()).isTrue();
  }

  @Test
  @Order(2)
  void operatorMayDoEveryCallItNeeds() {
    List<String> denied = new ArrayList<>();
    for (PolicyRule rule : ChartRbac.operatorClusterRules()) {
      for (String verb : rule.getVerbs()) {
        // In a Tunnel's namespace, and across all namespaces (its informers watch everywhere).
        check(operator, verb, rule, TENANT_NS, null, true, denied);
        check(operator, verb, rule, null, null, true, denied);
      }
    }
    for (PolicyRule rule : ChartRbac.operatorNamespaceRules(LEASE)) {
      String name = rule.getResourceNames().isEmpty() ? null : rule.getResourceNames().get(0);
      for (String verb : rule.getVerbs()) {
        check(operator, verb, rule, RELEASE_NS, name, true, denied);
      }
    }
    assertThat(denied).as("denied to the operator").isEmpty();
  }

  /**
   * What an operator chart often grants but this operator's code never calls: denied. (That the
   * real operator needs nothing more is {@link OperatorUnderChartRbacIT}.)
   */
  @Test
  @Order(3)
  void operatorIsDeniedWhatItsCodeDoesNotCall() {
    List<String> allowed = new ArrayList<>();
    for (PolicyRule rule : ChartRbac.operatorDenied()) {
      for (String verb : rule.getVerbs()) {
        check(operator, verb, rule, TENANT_NS, null, false, allowed);
      }
    }
    for (String verb : List.of("get", "update")) {
      check(
          operator,
          verb,
          ChartRbac.rule("apps", "daemonsets", null),
          RELEASE_NS,
          null,
          false,
          allowed);
    }
    assertThat(allowed).as("allowed to the operator, though its code never calls it").isEmpty();
  }

  /** What JOSDK checks before it starts leader election, and what renewing the Lease needs. */
  @Test
  @Order(4)
  void operatorPassesJosdksLeaseAccessCheck() {
    SelfSubjectRulesReview review =
        operator
            .authorization()
            .v1()
            .selfSubjectRulesReview()
            .create(
                new SelfSubjectRulesReviewBuilder()
                    .withNewSpec()
                    .withNamespace(RELEASE_NS)
                    .endSpec()
                    .build());
    Set<String> verbs =
        review.getStatus().getResourceRules().stream()
            .filter(r -> r.getApiGroups().contains("coordination.k8s.io"))
            .filter(r -> r.getResources().contains("leases"))
            .filter(
                r ->
                    r.getResourceNames() == null
                        || r.getResourceNames().isEmpty()
                        || r.getResourceNames().contains(LEASE))
            .map(ResourceRule::getVerbs)
            .flatMap(List::stream)
            .collect(Collectors.toSet());
    // JOSDK wants create, get and update; fabric8's LeaseLock renews by patch; list and watch are
    // the informer on the agents' heartbeat Leases.
    assertThat(verbs)
        .containsExactlyInAnyOrder("create", "get", "update", "patch", "list", "watch");
  }

  @Test
  @Order(5)
  void operatorIsDeniedOutsideItsScope() {
    assertForbidden(
        () ->
            operator
                .rbac()
                .clusterRoles()
                .resource(
                    new ClusterRoleBuilder()
                        .withNewMetadata()
                        .withName("escalate")
                        .endMetadata()
                        .build())
                .create());
    assertForbidden(() -> operator.nodes().withName(NODE).delete());
    assertForbidden(
        () ->
            operator
                .pods()
                .inNamespace(TENANT_NS)
                .resource(
                    new PodBuilder()
                        .withNewMetadata()
                        .withName("shell")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("c")
                        .withImage("busybox")
                        .endContainer()
                        .endSpec()
                        .build())
                .create());
    // The Role holds only in its own namespace.
    assertForbidden(
        () ->
            operator
                .apps()
                .daemonSets()
                .inNamespace(TENANT_NS)
                .resource(agentDaemonSet(TENANT_NS))
                .create());
    assertForbidden(() -> operator.apps().deployments().inNamespace(RELEASE_NS).list());
    assertForbidden(
        () -> operator.leases().inNamespace(RELEASE_NS).withName("someone-elses").get());
    assertForbidden(() -> operator.leases().inNamespace(TENANT_NS).list());
    assertForbidden(() -> operator.configMaps().inNamespace("kube-system").list());
    assertForbidden(() -> operator.serviceAccounts().inNamespace(RELEASE_NS).list());
    assertForbidden(
        () ->
            operator
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("tunnels.tunnelier.io")
                .delete());
  }

  @Test
  @Order(6)
  void agentMayDoEveryCallItNeeds() {
    List<String> denied = new ArrayList<>();
    for (PolicyRule rule : ChartRbac.agentRules()) {
      for (String verb : rule.getVerbs()) {
        check(agent, verb, rule, TENANT_NS, null, true, denied);
        if (!verb.equals("get") && !verb.equals("create") && !verb.equals("patch")) {
          check(agent, verb, rule, null, null, true, denied);
        }
      }
    }
    for (PolicyRule rule : ChartRbac.agentNamespaceRules()) {
      for (String verb : rule.getVerbs()) {
        check(agent, verb, rule, RELEASE_NS, null, true, denied);
      }
    }
    assertThat(denied).as("denied to the node agent").isEmpty();

    // Real calls: its own status entry by server-side apply, a Secret by name, watches.
    admin.resource(tunnel("agent-check")).create();
    GenericKubernetesResource entry = new GenericKubernetesResource();
    entry.setApiVersion("tunnelier.io/v1alpha1");
    entry.setKind("Tunnel");
    entry.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("agent-check")
            .withNamespace(TENANT_NS)
            .build());
    entry.setAdditionalProperty(
        "status",
        Map.of(
            "nodes",
            List.of(
                Map.of(
                    "name", NODE,
                    "role", "Member",
                    "datapath", "Userspace"))));
    agent
        .genericKubernetesResources("tunnelier.io/v1alpha1", "Tunnel")
        .inNamespace(TENANT_NS)
        .resource(entry)
        .subresource("status")
        .patch(ssa("tunnelier-agent/" + NODE));
    assertThat(
            admin
                .resources(Tunnel.class)
                .inNamespace(TENANT_NS)
                .withName("agent-check")
                .get()
                .getStatus()
                .getNodes())
        .extracting(n -> n.getName())
        .containsExactly(NODE);

    admin
        .secrets()
        .inNamespace(TENANT_NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("agent-check-keys")
                .endMetadata()
                .withStringData(Map.of("privateKey", "not-a-real-key"))
                .build())
        .create();
    assertThat(agent.secrets().inNamespace(TENANT_NS).withName("agent-check-keys").get())
        .isNotNull();
    assertThat(agent.resources(Tunnel.class).inAnyNamespace().list().getItems()).isNotEmpty();
    assertThat(agent.nodes().withName(NODE).get()).isNotNull();
    assertThat(agent.nodes().list().getItems()).isNotEmpty();
    assertThat(agent.pods().inAnyNamespace().list()).isNotNull();
    try (Watch watch = agent.resources(Tunnel.class).inAnyNamespace().watch(new Ignore<>())) {
      assertThat(watch).isNotNull();
    }
  }

  @Test
  @Order(7)
  void agentIsDeniedOutsideItsScope() {
    // It reads one Secret by name; it cannot enumerate them, nor write any.
    assertForbidden(() -> agent.secrets().inNamespace(TENANT_NS).list());
    assertForbidden(() -> agent.secrets().inAnyNamespace().list());
    assertForbidden(() -> agent.secrets().inNamespace(TENANT_NS).watch(new Ignore<>()));
    assertForbidden(
        () ->
            agent
                .secrets()
                .inNamespace(TENANT_NS)
                .resource(
                    new SecretBuilder().withNewMetadata().withName("planted").endMetadata().build())
                .create());
    // It cannot change a Tunnel's spec, delete one, or touch workloads and nodes.
    assertForbidden(
        () ->
            agent
                .resources(Tunnel.class)
                .inNamespace(TENANT_NS)
                .withName("agent-check")
                .edit(
                    t -> {
                      t.getSpec().setMtu(1280);
                      return t;
                    }));
    assertForbidden(
        () ->
            agent.resources(Tunnel.class).inNamespace(TENANT_NS).withName("agent-check").delete());
    assertForbidden(() -> agent.pods().inNamespace(TENANT_NS).withName("any").delete());
    assertForbidden(
        () ->
            agent
                .nodes()
                .withName(NODE)
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"labels\":{\"tunnelier.io/gateway\":\"true\"}}}"));
    assertForbidden(() -> agent.apps().daemonSets().inNamespace(RELEASE_NS).list());
    assertForbidden(() -> agent.leases().inNamespace(RELEASE_NS).list());
    List<String> allowed = new ArrayList<>();
    for (String verb : List.of("list", "watch", "create", "update", "patch", "delete")) {
      check(agent, verb, ChartRbac.rule("", "secrets", null), TENANT_NS, null, false, allowed);
    }
    assertThat(allowed).as("secret verbs the agent must not have").isEmpty();
  }

  @Test
  @Order(8)
  void uninstallRemovesTheChartsObjectsButKeepsTheCrd() {
    String out =
        Helm.uninstall(TunnelierChart.RELEASE)
            .withNamespace(RELEASE_NS)
            .withKubeConfig(controlPlane.kubeconfig())
            .call();
    System.out.println("helm uninstall: " + out);
    assertThat(admin.rbac().clusterRoles().withName("tunnelier-operator").get()).isNull();
    assertThat(admin.rbac().clusterRoles().withName("tunnelier-node-agent").get()).isNull();
    assertThat(admin.rbac().clusterRoleBindings().withName("tunnelier-operator").get()).isNull();
    assertThat(
            admin.apps().deployments().inNamespace(RELEASE_NS).withName("tunnelier-operator").get())
        .isNull();
    // Helm never deletes what it installed from crds/: Tunnels outlive an uninstall.
    assertThat(
            admin
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("tunnels.tunnelier.io")
                .get())
        .isNotNull();
  }

  private static void check(
      KubernetesClient client,
      String verb,
      PolicyRule rule,
      String namespace,
      String name,
      boolean expectAllowed,
      List<String> mismatches) {
    String[] resource = rule.getResources().get(0).split("/", 2);
    ResourceAttributes attributes =
        new ResourceAttributesBuilder()
            .withGroup(rule.getApiGroups().get(0))
            .withResource(resource[0])
            .withSubresource(resource.length > 1 ? resource[1] : null)
            .withVerb(verb)
            .withNamespace(namespace)
            .withName(name)
            .build();
    SelfSubjectAccessReview review =
        client
            .authorization()
            .v1()
            .selfSubjectAccessReview()
            .create(
                new SelfSubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withResourceAttributes(attributes)
                    .endSpec()
                    .build());
    boolean allowed = Boolean.TRUE.equals(review.getStatus().getAllowed());
    String what =
        verb
            + " "
            + rule.getResources().get(0)
            + (rule.getApiGroups().get(0).isEmpty() ? "" : "." + rule.getApiGroups().get(0))
            + (name == null ? "" : "/" + name)
            + " in "
            + (namespace == null ? "all namespaces" : namespace);
    System.out.printf(
        "%-9s %-8s %s%n",
        client == operator ? "operator" : "agent", allowed ? "allowed" : "denied", what);
    if (allowed != expectAllowed) {
      mismatches.add(what);
    }
  }

  private static PatchContext ssa(String fieldManager) {
    return new PatchContext.Builder()
        .withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager(fieldManager)
        .withForce(true)
        .build();
  }

  private static void assertForbidden(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
  }

  private static Tunnel tunnel(String name) {
    Tunnel tunnel =
        admin
            .resources(Tunnel.class)
            .load(
                new java.io.ByteArrayInputStream(
                    ("apiVersion: tunnelier.io/v1alpha1\n"
                            + "kind: Tunnel\n"
                            + "metadata: {name: "
                            + name
                            + ", namespace: "
                            + TENANT_NS
                            + "}\n"
                            + "spec:\n"
                            + "  type: Egress\n"
                            + "  encapsulation: GRE\n"
                            + "  peer: {endpoint: \"203.0.113.10\", greKey: 7}\n"
                            + "  egress: {podSelector: {matchLabels: {app: scraper}}}\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .item();
    return tunnel;
  }

  private static DaemonSet agentDaemonSet(String namespace) {
    Map<String, String> labels = Map.of("app.kubernetes.io/name", AGENT_SA);
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(AGENT_SA)
        .withNamespace(namespace)
        .withLabels(Map.of("app.kubernetes.io/managed-by", "tunnelier-operator"))
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(labels)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(AGENT_SA)
        .addNewContainer()
        .withName("agent")
        .withImage("ghcr.io/tunnelier/node-agent:0.1.0")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A watcher that ignores what it sees: only the right to watch is under test. */
  private static final class Ignore<T> implements Watcher<T> {
    @Override
    public void eventReceived(Action action, T resource) {}

    @Override
    public void onClose(WatcherException cause) {}
  }
}
