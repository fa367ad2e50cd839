package io.tunnelier.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.agent.cluster.KubeHeartbeatLease;
import io.tunnelier.api.v1alpha1.AgentHeartbeat;
import io.tunnelier.api.v1alpha1.InvalidTunnelCorpus;
import io.tunnelier.api.v1alpha1.InvalidTunnelCorpus.RefusedBy;
import io.tunnelier.api.v1alpha1.NodeRole;
import io.tunnelier.api.v1alpha1.Tunnel;
import io.tunnelier.api.v1alpha1.TunnelType;
import io.tunnelier.e2e.controlplane.ControlPlane;
import io.tunnelier.e2e.controlplane.ControlPlaneExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's admission policies in a real kube-apiserver, with the chart installed by helm-java:
 * every hostile Tunnel of the corpus is refused to a namespace owner with the exact message the
 * corpus names (by the CRD's CEL rules, or by the policy {@code <release>-tunnel-privileges}); a
 * cluster admin, or whom the admin binds ClusterRole {@code <release>-privileged-tunnels} to, may
 * create the policy's cases; examples/ are still accepted; and one node's agent, acting with a
 * token bound to its pod on that node, may write its own {@code status.nodes[]} entry and nothing
 * else of a Tunnel's status.
 */
@ExtendWith(ControlPlaneExtension.class)
class ChartPoliciesIT {
  private static final String RELEASE_NS = "tunnelier-policies-it";
  private static final String TENANT_NS = "policies-it-tenant";
  private static final String OWNER_SA = "namespace-owner";
  private static final String NETWORK_ADMIN_SA = "network-admin";
  private static final String AGENT_SA = "tunnelier-node-agent";
  private static final String NODE_A = "policies-it-a";
  private static final String NODE_B = "policies-it-b";
  private static final String AGENT_POLICY =
      "ValidatingAdmissionPolicy 'tunnelier-agent-own-node' with binding"
          + " 'tunnelier-agent-own-node' denied request: ";

  private static ControlPlane controlPlane;
  private static KubernetesClient admin;
  private static KubernetesClient owner;
  private static KubernetesClient networkAdmin;
  private static KubernetesClient agentA;
  private static KubernetesClient agentB;

  @BeforeAll
  static void install(ControlPlane cp) {
    controlPlane = cp;
    admin = cp.adminClient();
    new Helm(TunnelierChart.directory())
        .install()
        .withName(TunnelierChart.RELEASE)
        .withNamespace(RELEASE_NS)
        .createNamespace()
        .withKubeConfig(cp.kubeconfig())
        .call();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(TENANT_NS).endMetadata().build())
        .createOr(existing -> existing.update());
    // A namespace owner: every verb of the API on Tunnels in its namespace (what the "admin"
    // ClusterRole lists for the resources aggregated into it), nothing else. Not "*": a wildcard
    // verb includes the policy's own verbs too (docs/security.md).
    admin
        .rbac()
        .roles()
        .inNamespace(TENANT_NS)
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("tunnel-owner")
                .endMetadata()
                .addNewRule()
                .withApiGroups("tunnelier.io")
                .withResources("tunnels")
                .withVerbs(
                    "get",
                    "list",
                    "watch",
                    "create",
                    "update",
                    "patch",
                    "delete",
                    "deletecollection")
                .endRule()
                .build())
        .serverSideApply();
    for (String sa : List.of(OWNER_SA, NETWORK_ADMIN_SA)) {
      bind(sa, "Role", "tunnel-owner");
    }
    // What docs/security.md tells a cluster admin to do to let someone else decide.
    bind(NETWORK_ADMIN_SA, "ClusterRole", "tunnelier-privileged-tunnels");
    owner = cp.clientFor(TENANT_NS, OWNER_SA);
    networkAdmin = cp.clientFor(TENANT_NS, NETWORK_ADMIN_SA);
    for (String node : List.of(NODE_A, NODE_B)) {
      admin
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
          .createOr(existing -> existing.update());
    }
    agentA = AgentIdentity.onNode(cp, RELEASE_NS, AGENT_SA, NODE_A);
    agentB = AgentIdentity.onNode(cp, RELEASE_NS, AGENT_SA, NODE_B);
    // The API server picks up new policies asynchronously: wait until one refuses.
    GenericKubernetesResource probe = policyCase().tunnel();
    probe.getMetadata().setNamespace(TENANT_NS);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              try {
                owner.resource(probe).create();
                owner.resource(probe).delete();
                return false;
              } catch (KubernetesClientException e) {
                return e.getCode() == 403;
              }
            });
  }

  @AfterAll
  static void cleanUp() {
    for (KubernetesClient c : new KubernetesClient[] {owner, networkAdmin, agentA, agentB}) {
      if (c != null) {
        c.close();
      }
    }
    if (admin == null) {
      return;
    }
    Helm.uninstall(TunnelierChart.RELEASE)
        .withNamespace(RELEASE_NS)
        .withKubeConfig(controlPlane.kubeconfig())
        .call();
    for (String node : List.of(NODE_A, NODE_B)) {
      AgentIdentity.release(controlPlane, RELEASE_NS, AGENT_SA, node);
      admin.nodes().withName(node).delete();
    }
    admin.namespaces().withName(TENANT_NS).delete();
    admin.namespaces().withName(RELEASE_NS).delete();
  }

  static List<InvalidTunnelCorpus.Case> hostile() {
    return InvalidTunnelCorpus.hostile();
  }

  private static InvalidTunnelCorpus.Case policyCase() {
    return hostile().stream().filter(c -> c.refusedBy() == RefusedBy.POLICY).findFirst().get();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileTunnelIsRefusedToTheNamespaceOwner(InvalidTunnelCorpus.Case c) {
    GenericKubernetesResource tunnel = c.tunnel();
    tunnel.getMetadata().setNamespace(TENANT_NS);
    int code = c.refusedBy() == RefusedBy.CRD ? 422 : 403;
    assertThatThrownBy(() -> owner.resource(tunnel).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(code))
        .hasMessageContaining(c.expect());
    if (c.refusedBy() == RefusedBy.POLICY) {
      // Who asks decides: a cluster admin may, and so may whom it granted the verbs.
      for (KubernetesClient privileged : List.of(admin, networkAdmin)) {
        GenericKubernetesResource created = privileged.resource(tunnel).create();
        admin.resource(created).withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.resource(tunnel).get() == null);
      }
    }
  }

  static List<Path> examples() throws IOException {
    Path dir = Path.of(System.getProperty("tunnelier.repo.root", "..")).resolve("examples");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  /**
   * Every example is accepted from a cluster admin with the policies installed; the Egress ones
   * from a namespace owner too (site-to-site is a cluster admin's decision).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleIsAcceptedUnderThePolicies(Path example) throws IOException {
    Tunnel tunnel = admin.resources(Tunnel.class).load(Files.newInputStream(example)).item();
    tunnel.getMetadata().setNamespace(TENANT_NS);
    KubernetesClient who =
        tunnel.getSpec().getType() == TunnelType.SITE_TO_SITE ? networkAdmin : owner;
    for (KubernetesClient client : List.of(admin, who)) {
      Tunnel created = client.resource(tunnel).create();
      admin.resource(created).withGracePeriod(0).delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> admin.resource(tunnel).get() == null);
    }
  }

  /**
   * A SiteToSite Tunnel an admin made: the namespace owner may relabel it, but not change its spec
   * (its remoteCIDRs are what the admin decided).
   */
  @Test
  void theOwnerCannotChangeAnAdminsSiteToSiteTunnel() {
    Tunnel tunnel =
        Serialization.unmarshal(
            """
            apiVersion: tunnelier.io/v1alpha1
            kind: Tunnel
            metadata: {name: admins-site-to-site, namespace: %s}
            spec:
              type: SiteToSite
              peer: {endpoint: "198.51.100.20:51820"}
              siteToSite: {remoteCIDRs: ["100.80.0.0/16"]}
            """
                .formatted(TENANT_NS),
            Tunnel.class);
    admin.resource(tunnel).create();
    var mine =
        owner
            .resources(Tunnel.class)
            .inNamespace(TENANT_NS)
            .withName(tunnel.getMetadata().getName());
    try {
      mine.edit(
          t -> {
            t.getMetadata().setLabels(Map.of("team", "net"));
            return t;
          });
      assertThatThrownBy(
              () ->
                  mine.edit(
                      t -> {
                        t.getSpec().getSiteToSite().setRemoteCIDRs(List.of("100.0.0.0/8"));
                        return t;
                      }))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("a SiteToSite Tunnel joins this cluster's pod network");
    } finally {
      admin.resource(tunnel).withGracePeriod(0).delete();
    }
  }

  /**
   * An Egress Tunnel an admin gave an address and a control-plane gateway: the namespace owner may
   * change what is the namespace's (mtu, destinations), not the address or the selector, and may
   * not set them on a Tunnel of its own by an update either.
   */
  @Test
  void theOwnerCannotChangeWhatAnAdminChose() {
    Tunnel tunnel =
        Serialization.unmarshal(
            """
            apiVersion: tunnelier.io/v1alpha1
            kind: Tunnel
            metadata: {name: admins-choices, namespace: %s}
            spec:
              type: Egress
              address: "100.98.0.0/31"
              peer: {endpoint: "203.0.113.10:51820"}
              gateway: {nodeSelector: {node-role.kubernetes.io/control-plane: ""}}
              egress: {podSelector: {matchLabels: {app: scraper}}}
            """
                .formatted(TENANT_NS),
            Tunnel.class);
    Tunnel own =
        Serialization.unmarshal(
            """
            apiVersion: tunnelier.io/v1alpha1
            kind: Tunnel
            metadata: {name: owners-own, namespace: %s}
            spec:
              type: Egress
              peer: {endpoint: "203.0.113.10:51820"}
              gateway: {nodeSelector: {tunnelier.io/gateway: "true"}}
              egress: {podSelector: {matchLabels: {app: scraper}}}
            """
                .formatted(TENANT_NS),
            Tunnel.class);
    admin.resource(tunnel).create();
    owner.resource(own).create();
    var admins = owner.resources(Tunnel.class).inNamespace(TENANT_NS).withName("admins-choices");
    var owners = owner.resources(Tunnel.class).inNamespace(TENANT_NS).withName("owners-own");
    try {
      Tunnel changed =
          admins.edit(
              t -> {
                t.getSpec().setMtu(1380);
                t.getSpec().getEgress().setDestinations(List.of("198.51.100.0/24"));
                return t;
              });
      assertThat(changed.getSpec().getMtu()).isEqualTo(1380);
      assertForbidden(
          () ->
              admins.edit(
                  t -> {
                    t.getSpec().setAddress("100.98.0.2/31");
                    return t;
                  }),
          "spec.address is routed on the gateway node");
      assertForbidden(
          () ->
              admins.edit(
                  t -> {
                    t.getSpec()
                        .getGateway()
                        .setNodeSelector(Map.of("node-role.kubernetes.io/master", ""));
                    return t;
                  }),
          "gateway.nodeSelector on node-role.kubernetes.io/control-plane");
      // Taking the admin's choice away is the owner's to do.
      Tunnel plain =
          admins.edit(
              t -> {
                t.getSpec().getGateway().setNodeSelector(Map.of("tunnelier.io/gateway", "true"));
                return t;
              });
      assertThat(plain.getSpec().getGateway().getNodeSelector())
          .containsOnlyKeys("tunnelier.io/gateway");
      assertForbidden(
          () ->
              owners.edit(
                  t -> {
                    t.getSpec().setAddress("100.98.0.4/31");
                    return t;
                  }),
          "spec.address is routed on the gateway node");
      assertForbidden(
          () ->
              owners.edit(
                  t -> {
                    t.getSpec()
                        .getGateway()
                        .setNodeSelector(Map.of("kubernetes.io/hostname", "cp-1"));
                    return t;
                  }),
          "gateway.nodeSelector on node-role.kubernetes.io/control-plane");
    } finally {
      admin.resource(tunnel).withGracePeriod(0).delete();
      admin.resource(own).withGracePeriod(0).delete();
    }
  }

  /**
   * Each node's agent, with a token bound to its pod on that node, writes its own entry; writing
   * another node's entry, removing one, touching the operator's part of the status, or writing with
   * a token that names no node is refused.
   */
  @Test
  void anAgentWritesOnlyItsOwnNodesEntry() {
    Tunnel tunnel =
        Serialization.unmarshal(
            """
            apiVersion: tunnelier.io/v1alpha1
            kind: Tunnel
            metadata: {name: node-entries, namespace: %s}
            spec:
              type: Egress
              peer: {endpoint: "203.0.113.10:51820"}
              egress: {podSelector: {matchLabels: {app: scraper}}}
            """
                .formatted(TENANT_NS),
            Tunnel.class);
    admin.resource(tunnel).create();
    try {
      // Each writes its own entry, as KubernetesStatusWriter does.
      apply(agentA, NODE_A, Map.of("nodes", List.of(entry(NODE_A, "Gateway"))));
      apply(agentB, NODE_B, Map.of("nodes", List.of(entry(NODE_B, "Standby"))));
      assertThat(nodeNames()).containsExactlyInAnyOrder(NODE_A, NODE_B);

      // A's agent claims to be B (field manager and entry): the token says otherwise.
      assertForbidden(
          () -> apply(agentA, NODE_B, Map.of("nodes", List.of(entry(NODE_B, "Gateway")))),
          AGENT_POLICY
              + "the node agent on "
              + NODE_A
              + " may write only its own entry of status.nodes[], not the one of "
              + NODE_B);
      // A new entry for a node that has none yet.
      assertForbidden(
          () -> apply(agentA, NODE_A, Map.of("nodes", List.of(entry("policies-it-c", "Member")))),
          "may write only its own entry of status.nodes[], not the one of policies-it-c");
      // A merge patch that leaves only A's entry would remove B's.
      assertForbidden(
          () ->
              agentA
                  .genericKubernetesResources("tunnelier.io/v1alpha1", "Tunnel")
                  .inNamespace(TENANT_NS)
                  .withName("node-entries")
                  .subresource("status")
                  .patch(
                      PatchContext.of(PatchType.JSON_MERGE),
                      Serialization.asJson(
                          Map.of("status", Map.of("nodes", List.of(entry(NODE_A, "Gateway")))))),
          AGENT_POLICY
              + "the node agent on "
              + NODE_A
              + " may remove only its own entry of status.nodes[], not the one of "
              + NODE_B);
      // The operator's part of the status.
      assertForbidden(
          () -> apply(agentA, NODE_A, Map.of("activeGateway", NODE_A)),
          AGENT_POLICY
              + "the node agent may write only its own entry of status.nodes[]; the rest of the"
              + " status is the operator's");
      // The agent's ServiceAccount with a token bound to no pod, so to no node.
      try (KubernetesClient unbound = controlPlane.clientFor(RELEASE_NS, AGENT_SA)) {
        assertForbidden(
            () -> apply(unbound, NODE_A, Map.of("nodes", List.of(entry(NODE_A, "Member")))),
            AGENT_POLICY
                + "the node agent must use its pod's projected ServiceAccount token, which names"
                + " its node (authentication.kubernetes.io/node-name); a token without a node may"
                + " not write status.nodes[]");
      }
      // Its own entry still goes through, and B's is as B wrote it.
      apply(agentA, NODE_A, Map.of("nodes", List.of(entry(NODE_A, "Standby"))));
      Tunnel live = admin.resource(tunnel).get();
      assertThat(live.getStatus().getNodes())
          .extracting(n -> n.getName() + "=" + n.getRole())
          .containsExactlyInAnyOrder(
              NODE_A + "=" + NodeRole.STANDBY, NODE_B + "=" + NodeRole.STANDBY);
      assertThat(live.getStatus().getActiveGateway()).isNull();
    } finally {
      admin.resource(tunnel).withGracePeriod(0).delete();
    }
  }

  /**
   * The heartbeat Lease, written by the agent's own code ({@link KubeHeartbeatLease}) with a token
   * bound to its pod on a node: its own node's Lease it may create and renew, on gateway duty and
   * idle; another node's it may not write (a forged heartbeat would keep a dead gateway active),
   * and no Lease may it delete (a deleted one would hide a node from the operator's heartbeat
   * check; its own goes with its Pod).
   */
  @Test
  void anAgentWritesOnlyItsOwnNodesHeartbeat() throws Exception {
    String heartbeatPolicy =
        "ValidatingAdmissionPolicy 'tunnelier-agent-own-heartbeat' with binding"
            + " 'tunnelier-agent-own-heartbeat' denied request: ";
    KubeHeartbeatLease own =
        new KubeHeartbeatLease(
            agentA, RELEASE_NS, NODE_A, Duration.ofSeconds(1), null, java.time.Clock.systemUTC());
    KubeHeartbeatLease forged =
        new KubeHeartbeatLease(
            agentA, RELEASE_NS, NODE_B, Duration.ofSeconds(1), null, java.time.Clock.systemUTC());
    KubeHeartbeatLease nodeB =
        new KubeHeartbeatLease(
            agentB, RELEASE_NS, NODE_B, Duration.ofSeconds(1), null, java.time.Clock.systemUTC());
    try {
      own.renew(true);
      String first = lease(NODE_A).getMetadata().getResourceVersion();
      own.renew(true);
      var renewed = lease(NODE_A);
      assertThat(renewed.getMetadata().getResourceVersion()).isNotEqualTo(first);
      assertThat(renewed.getSpec().getHolderIdentity()).isEqualTo(NODE_A);
      assertThat(renewed.getSpec().getLeaseDurationSeconds()).isEqualTo(3);
      assertThat(renewed.getMetadata().getLabels())
          .containsEntry(AgentHeartbeat.LABEL, AgentHeartbeat.LABEL_VALUE);
      // The gateway duty ended: the same Lease, renewed every 30 s, says the agent is alive.
      own.renew(false);
      var idle = lease(NODE_A);
      assertThat(idle.getMetadata().getLabels())
          .containsEntry(AgentHeartbeat.LABEL, AgentHeartbeat.IDLE_VALUE);
      assertThat(idle.getSpec().getLeaseDurationSeconds()).isEqualTo(90);

      assertForbidden(
          () -> forged.renew(true),
          heartbeatPolicy
              + "the node agent on "
              + NODE_A
              + " may write only its own heartbeat Lease, tunnelier-agent-"
              + NODE_A);
      assertThat(lease(NODE_B)).isNull();

      nodeB.renew(false);
      // Deleting is not the agent's: its Lease goes with its Pod.
      assertForbidden(
          () ->
              agentA
                  .leases()
                  .inNamespace(RELEASE_NS)
                  .withName(AgentHeartbeat.leaseName(NODE_B))
                  .delete(),
          "cannot delete resource \"leases\"");
      assertThat(lease(NODE_B)).isNotNull();

      // Nothing else in the namespace: the operator's leader-election Lease is not the agent's.
      assertForbidden(
          () -> agentA.leases().inNamespace(RELEASE_NS).list(), "cannot list resource \"leases\"");

    } finally {
      for (String node : List.of(NODE_A, NODE_B)) {
        admin.leases().inNamespace(RELEASE_NS).withName(AgentHeartbeat.leaseName(node)).delete();
      }
    }
  }

  private static io.fabric8.kubernetes.api.model.coordination.v1.Lease lease(String node) {
    return admin.leases().inNamespace(RELEASE_NS).withName(AgentHeartbeat.leaseName(node)).get();
  }

  private static List<String> nodeNames() {
    return admin
        .resources(Tunnel.class)
        .inNamespace(TENANT_NS)
        .withName("node-entries")
        .get()
        .getStatus()
        .getNodes()
        .stream()
        .map(n -> n.getName())
        .toList();
  }

  private static Map<String, Object> entry(String node, String role) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", node);
    entry.put("role", role);
    entry.put("datapath", "Userspace");
    return entry;
  }

  /** Server-side apply of the status as the agent on {@code node} does it. */
  private static void apply(KubernetesClient agent, String node, Map<String, Object> status) {
    GenericKubernetesResource patch = new GenericKubernetesResource();
    patch.setApiVersion("tunnelier.io/v1alpha1");
    patch.setKind("Tunnel");
    patch.setMetadata(
        new ObjectMetaBuilder().withName("node-entries").withNamespace(TENANT_NS).build());
    patch.setAdditionalProperty("status", status);
    agent
        .genericKubernetesResources("tunnelier.io/v1alpha1", "Tunnel")
        .inNamespace(TENANT_NS)
        .resource(patch)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("tunnelier-agent/" + node)
                .withForce(true)
                .build());
  }

  private static void assertForbidden(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
        .hasMessageContaining(message);
  }

  private static void bind(String serviceAccount, String kind, String role) {
    admin
        .rbac()
        .roleBindings()
        .inNamespace(TENANT_NS)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(serviceAccount + "-" + role)
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind(kind)
                .withName(role)
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(serviceAccount)
                .withNamespace(TENANT_NS)
                .endSubject()
                .build())
        .serverSideApply();
  }
}
