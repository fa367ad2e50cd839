package io.tunnelier.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tunnelier.e2e.k8s.TunnelCrd;
import io.tunnelier.operator.config.AgentConfig;
import io.tunnelier.operator.dependent.NodeAgentDaemonSetSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lints charts/tunnelier and renders it with helm-java (Helm's own code), then checks the objects
 * it would install: the operator's Deployment hardening and probes, the RBAC rules exactly, and the
 * operator's configuration file. Bad values must fail with the schema's message.
 */
class ChartTemplateTest {
  private static final String NS = "tunnelier-system";

  @Test
  void lintPassesStrict() {
    LintResult lint = new Helm(TunnelierChart.directory()).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void defaultValuesRenderExactlyTheseObjects() {
    String rendered = TunnelierChart.template(NS, Map.of());
    System.out.printf(
        "helm template (default values): %d bytes, %d lines%n",
        rendered.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
        rendered.lines().count());
    assertThat(TunnelierChart.objects(rendered))
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "ServiceAccount/tunnelier-operator",
            "ServiceAccount/tunnelier-node-agent",
            "ConfigMap/tunnelier-operator",
            "ClusterRole/tunnelier-operator",
            "ClusterRoleBinding/tunnelier-operator",
            "Role/tunnelier-operator",
            "RoleBinding/tunnelier-operator",
            "ClusterRole/tunnelier-node-agent",
            "ClusterRoleBinding/tunnelier-node-agent",
            "ClusterRole/tunnelier-privileged-tunnels",
            "ValidatingAdmissionPolicy/tunnelier-tunnel-privileges",
            "ValidatingAdmissionPolicyBinding/tunnelier-tunnel-privileges",
            "ValidatingAdmissionPolicy/tunnelier-agent-own-node",
            "ValidatingAdmissionPolicyBinding/tunnelier-agent-own-node",
            "Role/tunnelier-node-agent",
            "RoleBinding/tunnelier-node-agent",
            "ValidatingAdmissionPolicy/tunnelier-agent-own-heartbeat",
            "ValidatingAdmissionPolicyBinding/tunnelier-agent-own-heartbeat",
            "Deployment/tunnelier-operator",
            "Service/tunnelier-operator",
            "Service/tunnelier-node-agent");
    // Namespaced objects land in the release namespace; nothing is a DaemonSet (the operator
    // creates the agents).
    assertThat(TunnelierChart.objects(rendered))
        .filteredOn(
            o ->
                !o.getKind().startsWith("Cluster")
                    && !o.getKind().startsWith("ValidatingAdmission"))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NS));
  }

  @Test
  void operatorRunsNonRootReadOnlyWithoutCapabilities() {
    Deployment deployment = one(render(Map.of()), Deployment.class, "tunnelier-operator");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);

    // A warm standby on another node, and off a failed node in 30 s: the gateway failover needs
    // a live operator, and it may have run on the failed gateway.
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(
            pod.getAffinity()
                .getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()
                .get(0)
                .getPodAffinityTerm()
                .getTopologyKey())
        .isEqualTo("kubernetes.io/hostname");
    assertThat(pod.getTolerations())
        .extracting(t -> t.getKey() + "=" + t.getTolerationSeconds())
        .containsExactlyInAnyOrder(
            "node.kubernetes.io/not-ready=30", "node.kubernetes.io/unreachable=30");
    assertThat(pod.getServiceAccountName()).isEqualTo("tunnelier-operator");
    assertThat(pod.getHostNetwork()).isNull();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    // A read-only root still needs a writable /tmp for the JVM.
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath() + (Boolean.TRUE.equals(m.getReadOnly()) ? ":ro" : ""))
        .containsExactlyInAnyOrder("/etc/tunnelier:ro", "/tmp");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void operatorHasProbesItsConfigAndNamespace() {
    Deployment deployment = one(render(Map.of()), Deployment.class, "tunnelier-operator");
    Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(c.getImage()).isEqualTo("ghcr.io/tunnelier/operator:0.1.0");
    assertThat(c.getArgs())
        .containsExactly(
            "--config=/etc/tunnelier/operator.yaml",
            "--port=8080",
            "--lease-name=tunnelier-operator");
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getEnv())
        .hasSize(2)
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("POD_NAMESPACE");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                  .isEqualTo("metadata.namespace");
            })
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("TUNNELIER_LOG_FORMAT");
              assertThat(e.getValue()).isEqualTo("text");
            });
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getConfigMap().getName()).isEqualTo("tunnelier-operator"));
  }

  @Test
  void operatorRbacIsExactlyWhatItNeeds() {
    List<HasMetadata> objects = render(Map.of());
    assertThat(one(objects, ClusterRole.class, "tunnelier-operator").getRules())
        .containsExactlyElementsOf(ChartRbac.operatorClusterRules());
    assertThat(one(objects, Role.class, "tunnelier-operator").getRules())
        .containsExactlyElementsOf(ChartRbac.operatorNamespaceRules("tunnelier-operator"));

    ClusterRoleBinding clusterBinding =
        one(objects, ClusterRoleBinding.class, "tunnelier-operator");
    assertThat(clusterBinding.getRoleRef().getName()).isEqualTo("tunnelier-operator");
    assertThat(clusterBinding.getSubjects()).containsExactly(serviceAccount("tunnelier-operator"));
    RoleBinding binding = one(objects, RoleBinding.class, "tunnelier-operator");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getSubjects()).containsExactly(serviceAccount("tunnelier-operator"));
  }

  @Test
  void agentRbacIsNarrower() {
    List<HasMetadata> objects = render(Map.of());
    ClusterRole agent = one(objects, ClusterRole.class, "tunnelier-node-agent");
    assertThat(agent.getRules()).containsExactlyElementsOf(ChartRbac.agentRules());
    assertThat(one(objects, Role.class, "tunnelier-node-agent").getRules())
        .containsExactlyElementsOf(ChartRbac.agentNamespaceRules());
    assertThat(one(objects, RoleBinding.class, "tunnelier-node-agent").getSubjects())
        .containsExactly(serviceAccount("tunnelier-node-agent"));
    // No write verb but its status patch and events; secrets only by name.
    assertThat(agent.getRules())
        .filteredOn(r -> r.getResources().contains("secrets"))
        .singleElement()
        .satisfies(r -> assertThat(r.getVerbs()).containsExactly("get"));
    assertThat(one(objects, ClusterRoleBinding.class, "tunnelier-node-agent").getSubjects())
        .containsExactly(serviceAccount("tunnelier-node-agent"));
    assertThat(one(objects, ServiceAccount.class, "tunnelier-node-agent")).isNotNull();
  }

  /** The verbs the admission policy asks the authorizer for, and nothing a real call uses. */
  @Test
  void privilegedTunnelsRoleHoldsOnlyThePolicysVerbs() {
    ClusterRole role = one(render(Map.of()), ClusterRole.class, "tunnelier-privileged-tunnels");
    assertThat(role.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("tunnelier.io");
              assertThat(r.getResources()).containsExactly("tunnels");
              assertThat(r.getVerbs())
                  .containsExactly("use-sitetosite", "set-address", "select-control-plane");
            });
    String policy =
        Serialization.asYaml(
            one(render(Map.of()), ValidatingAdmissionPolicy.class, "tunnelier-tunnel-privileges"));
    for (String verb : role.getRules().get(0).getVerbs()) {
      assertThat(policy).contains(".check('" + verb + "')");
    }
  }

  /**
   * The agent's policy compares every top-level status field but nodes[] with the stored one: a
   * field added to the CRD must be added to the template's list too.
   */
  @Test
  void agentPolicyGuardsEveryStatusFieldButNodes() throws IOException {
    CustomResourceDefinition crd;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(TunnelCrd.RESOURCE)) {
      crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
    Set<String> fields =
        crd.getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("status")
            .getProperties()
            .keySet();
    ValidatingAdmissionPolicy policy =
        one(render(Map.of()), ValidatingAdmissionPolicy.class, "tunnelier-agent-own-node");
    String expressions =
        policy.getSpec().getValidations().stream()
            .map(v -> v.getExpression())
            .reduce("", String::concat);
    assertThat(fields).contains("nodes");
    for (String field : fields) {
      if (!field.equals("nodes")) {
        assertThat(expressions)
            .as("status.%s", field)
            .contains("object.status." + field + " == oldObject.status." + field)
            .contains("!has(object.status." + field + ")");
      }
    }
    assertThat(policy.getSpec().getMatchConditions())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.getExpression())
                    .contains("'system:serviceaccount:" + NS + ":tunnelier-node-agent'"));
  }

  @Test
  void admissionPoliciesCanBeTurnedOff() {
    assertThat(render(Map.of("admissionPolicies.enabled", false)))
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .doesNotContain(
            "ClusterRole/tunnelier-privileged-tunnels",
            "ValidatingAdmissionPolicy/tunnelier-tunnel-privileges",
            "ValidatingAdmissionPolicy/tunnelier-agent-own-node")
        .contains("ClusterRole/tunnelier-node-agent");
  }

  @Test
  void controlPlaneSelectorKeysComeFromTheValues() {
    String policy =
        Serialization.asYaml(
            one(
                render(
                    Map.of(
                        "admissionPolicies.controlPlaneSelectorKeys[0]",
                        "node-role.kubernetes.io/infra")),
                ValidatingAdmissionPolicy.class,
                "tunnelier-tunnel-privileges"));
    assertThat(policy)
        .contains("['node-role.kubernetes.io/infra']")
        .contains("gateway.nodeSelector on node-role.kubernetes.io/infra picks")
        .doesNotContain("kubernetes.io/hostname");
  }

  @Test
  void configMapCarriesTheOperatorsConfigurationKeys() {
    Map<String, Object> config = operatorConfig(render(Map.of()));
    assertThat(config)
        .containsOnlyKeys(
            "agent",
            "addressPool",
            "addressPool6",
            "siteToSiteAddressPool",
            "gatewayFailoverAfter",
            "finalizerWait",
            "clusterCIDRs",
            "gatewayHeartbeatInterval",
            "gatewayHeartbeatTimeout")
        .containsEntry("gatewayHeartbeatInterval", "1s")
        .containsEntry("gatewayHeartbeatTimeout", "3s")
        .containsEntry("clusterCIDRs", List.of())
        .containsEntry("addressPool", "100.96.0.0/16")
        .containsEntry("siteToSiteAddressPool", "100.97.0.0/16")
        .containsEntry("gatewayFailoverAfter", "30s")
        .containsEntry("finalizerWait", "60s");
    @SuppressWarnings("unchecked")
    Map<String, Object> agent = (Map<String, Object>) config.get("agent");
    assertThat(agent)
        .containsOnlyKeys(
            "image",
            "imagePullPolicy",
            "imagePullSecrets",
            "extraArgs",
            "tolerations",
            "nodeSelector",
            "resources",
            "priorityClassName",
            "logFormat",
            "metricsPort",
            "cniHold")
        .containsEntry(
            "cniHold",
            Map.of("enabled", true, "binDir", "/opt/cni/bin", "confDir", "/etc/cni/net.d"))
        .containsEntry("logFormat", "text")
        .containsEntry("metricsPort", 9464)
        .containsEntry("image", "ghcr.io/tunnelier/node-agent:0.1.0")
        .containsEntry("imagePullPolicy", "IfNotPresent")
        .containsEntry("tolerations", List.of(Map.of("operator", "Exists")))
        .containsEntry("nodeSelector", Map.of("kubernetes.io/os", "linux"));
  }

  @Test
  void valuesReachTheOperatorAndItsConfiguration() {
    Map<String, Object> values =
        Map.ofEntries(
            Map.entry("image.repository", "registry.example/tunnelier-operator"),
            Map.entry("image.tag", "dev"),
            Map.entry("image.pullPolicy", "Never"),
            Map.entry("replicas", 3),
            Map.entry("port", 9090),
            Map.entry("agent.image.repository", "registry.example/tunnelier-agent"),
            Map.entry("agent.image.tag", "dev"),
            Map.entry("agent.image.pullPolicy", "Never"),
            Map.entry("addressPool", "10.200.0.0/20"),
            Map.entry("siteToSiteAddressPool", "10.201.0.0/24"),
            Map.entry("gatewayFailoverAfter", "10s"),
            Map.entry("logFormat", "json"),
            Map.entry("agent.metricsPort", 9500));
    List<HasMetadata> objects = render(values);
    Deployment deployment = one(objects, Deployment.class, "tunnelier-operator");
    Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(c.getImage()).isEqualTo("registry.example/tunnelier-operator:dev");
    assertThat(c.getImagePullPolicy()).isEqualTo("Never");
    assertThat(c.getArgs()).contains("--port=9090");
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(9090);
    assertThat(c.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("TUNNELIER_LOG_FORMAT");
              assertThat(e.getValue()).isEqualTo("json");
            });

    Map<String, Object> config = operatorConfig(objects);
    assertThat(config).containsEntry("addressPool", "10.200.0.0/20");
    assertThat(config).containsEntry("siteToSiteAddressPool", "10.201.0.0/24");
    assertThat(config).containsEntry("gatewayFailoverAfter", "10s");
    @SuppressWarnings("unchecked")
    Map<String, Object> agent = new HashMap<>((Map<String, Object>) config.get("agent"));
    assertThat(agent.remove("metricsPort")).isEqualTo(9500);
    assertThat(agent.remove("cniHold")).isNotNull();
    assertThat(agent)
        .isEqualTo(
            Map.of(
                "image", "registry.example/tunnelier-agent:dev",
                "imagePullPolicy", "Never",
                "imagePullSecrets", List.of(),
                "extraArgs", List.of(),
                "tolerations", List.of(Map.of("operator", "Exists")),
                "nodeSelector", Map.of("kubernetes.io/os", "linux"),
                "resources",
                    Map.of(
                        "requests", Map.of("cpu", "100m", "memory", "128Mi"),
                        "limits", Map.of("memory", "512Mi")),
                "priorityClassName", "",
                "logFormat", "json"));

    // The pod restarts when its configuration changes.
    assertThat(checksum(objects)).isNotEqualTo(checksum(render(Map.of())));
  }

  @Test
  void withoutLeaderElectionThereIsNoLeaseRule() {
    List<HasMetadata> objects = render(Map.of("leaderElection.enabled", false));
    Container c =
        one(objects, Deployment.class, "tunnelier-operator")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getArgs())
        .contains("--no-leader-election")
        .noneMatch(a -> a.startsWith("--lease"));
    assertThat(one(objects, Role.class, "tunnelier-operator").getRules())
        .containsExactlyElementsOf(ChartRbac.operatorNamespaceRules(null));
  }

  @Test
  void anotherReleaseNameKeepsTheAgentsFixedServiceAccount() {
    String rendered =
        new Helm(TunnelierChart.directory())
            .template()
            .withName("edge")
            .withNamespace("net")
            .withKubeVersion(TunnelierChart.KUBE_VERSION)
            .call();
    List<HasMetadata> objects = TunnelierChart.objects(rendered);
    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .contains(
            "ClusterRole/edge-tunnelier-operator",
            "ClusterRole/edge-tunnelier-node-agent",
            "Deployment/edge-tunnelier-operator",
            // The operator's DaemonSet names this ServiceAccount.
            "ServiceAccount/tunnelier-node-agent");
    assertThat(one(objects, ClusterRoleBinding.class, "edge-tunnelier-node-agent").getSubjects())
        .containsExactly(
            new io.fabric8.kubernetes.api.model.rbac.SubjectBuilder()
                .withKind("ServiceAccount")
                .withName("tunnelier-node-agent")
                .withNamespace("net")
                .build());
  }

  @Test
  void operatorServiceReachesTheDeploymentsPort() {
    List<HasMetadata> objects = render(Map.of());
    Service service = one(objects, Service.class, "tunnelier-operator");
    Deployment deployment = one(objects, Deployment.class, "tunnelier-operator");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort().getStrVal())
                  .isEqualTo(
                      deployment
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getPorts()
                          .get(0)
                          .getName());
            });
  }

  /** The agents' DaemonSet is the operator's: the Service must match what its code builds. */
  @Test
  void agentServiceSelectsTheOperatorsDaemonSetPodsAndPort() {
    Service service = one(render(Map.of()), Service.class, "tunnelier-node-agent");
    var ds = NodeAgentDaemonSetSpec.desired(AgentConfig.defaults(), NS);
    assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(ds.getMetadata().getNamespace()).isEqualTo(service.getMetadata().getNamespace());
    var containerPort = ds.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts();
    assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getPort()).isEqualTo(AgentConfig.DEFAULT_METRICS_PORT);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo(containerPort.get(0).getName());
            });
  }

  /**
   * agent.metricsPort moves the Service's port with the agents' (through the operator's config:
   * ChartOperatorConfigTest); the target stays the container port's name, which follows it.
   */
  @Test
  void agentMetricsPortMovesTheAgentServiceAndReachesTheOperatorsConfig() {
    List<HasMetadata> objects =
        render(Map.of("agent.metricsPort", 19464, "metrics.serviceMonitor.enabled", true));
    Service service = one(objects, Service.class, "tunnelier-node-agent");
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo(NodeAgentDaemonSetSpec.METRICS_PORT_NAME);
              assertThat(p.getPort()).isEqualTo(19464);
              assertThat(p.getTargetPort().getStrVal())
                  .isEqualTo(NodeAgentDaemonSetSpec.METRICS_PORT_NAME);
            });
    assertThat(operatorConfig(objects).get("agent"))
        .asInstanceOf(InstanceOfAssertFactories.MAP)
        .containsEntry("metricsPort", 19464);
    // The ServiceMonitor scrapes the Services' port by name, whatever its number.
    GenericKubernetesResource monitor =
        objects.stream()
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow();
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e -> assertThat(e).containsEntry("port", NodeAgentDaemonSetSpec.METRICS_PORT_NAME));
    // The operator's own Service keeps its port.
    assertThat(
            one(objects, Service.class, "tunnelier-operator").getSpec().getPorts().get(0).getPort())
        .isEqualTo(8080);
  }

  @Test
  void serviceMonitorOnlyWhenAskedAndItSelectsBothServices() {
    assertThat(render(Map.of()))
        .noneMatch(o -> o.getKind().equals("ServiceMonitor"))
        .noneMatch(
            o ->
                o.getKind().equals("ConfigMap") && o.getMetadata().getName().contains("dashboard"));
    List<HasMetadata> objects =
        render(
            Map.of(
                "metrics.serviceMonitor.enabled",
                true,
                "metrics.serviceMonitor.labels.release",
                "kube-prometheus-stack",
                "metrics.serviceMonitor.interval",
                "15s"));
    GenericKubernetesResource monitor =
        objects.stream()
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    Map<String, String> matchLabels = monitor.get("spec", "selector", "matchLabels");
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e).containsEntry("port", "metrics").containsEntry("path", "/metrics");
              assertThat(e).containsEntry("interval", "15s");
            });
    assertThat(objects)
        .filteredOn(Service.class::isInstance)
        .hasSize(2)
        .allSatisfy(
            o -> {
              assertThat(o.getMetadata().getLabels()).containsAllEntriesOf(matchLabels);
              assertThat(o.getMetadata().getLabels().get("app.kubernetes.io/component"))
                  .isIn("operator", "node-agent");
              assertThat(((Service) o).getSpec().getPorts())
                  .anySatisfy(p -> assertThat(p.getName()).isEqualTo("metrics"));
            });
  }

  /** Grafana's sidecar finds the dashboard by its label; the JSON is the chart's file as it is. */
  @Test
  void dashboardConfigMapOnlyWhenAsked() throws IOException {
    List<HasMetadata> objects = render(Map.of("metrics.dashboard.enabled", true));
    ConfigMap dashboard = one(objects, ConfigMap.class, "tunnelier-dashboard");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getData())
        .containsOnlyKeys("tunnelier.json")
        .containsEntry("tunnelier.json", Files.readString(GrafanaDashboardTest.DASHBOARD));
    assertThat(
            one(
                    render(
                        Map.of(
                            "metrics.dashboard.enabled",
                            true,
                            "metrics.dashboard.labels.grafana_dashboard",
                            "tunnelier")),
                    ConfigMap.class,
                    "tunnelier-dashboard")
                .getMetadata()
                .getLabels())
        .containsEntry("grafana_dashboard", "tunnelier");
  }

  /** `helm test`: the operator's own image asks its Service, with a class that image holds. */
  @Test
  void helmTestAsksTheOperatorsServiceWithAClassOfTheOperatorsImage(@TempDir Path scratch)
      throws Exception {
    assertThat(
            Files.readString(
                TunnelierChart.directory().resolve("templates/tests/test-operator.yaml")))
        .contains("    helm.sh/hook: test\n");
    Pod pod =
        one(
            TunnelierChart.objects(TunnelierChart.templateHooks(scratch, NS, Map.of())),
            Pod.class,
            "tunnelier-operator-test");
    Container c = pod.getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("ghcr.io/tunnelier/operator:0.1.0");
    List<String> command = c.getCommand();
    String mainClass = command.get(command.indexOf("/opt/tunnelier/operator.jar") + 1);
    assertThat(Class.forName(mainClass).getMethod("main", String[].class)).isNotNull();
    assertThat(command)
        .contains(
            "http://tunnelier-operator.tunnelier-system.svc:8080/readyz",
            "http://tunnelier-operator.tunnelier-system.svc:8080/metrics");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void nameOverridesRenameEveryObjectButTheAgentsFixedNames() {
    List<HasMetadata> objects = render(Map.of("nameOverride", "egress"));
    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .contains(
            "Deployment/tunnelier-egress-operator",
            "Service/tunnelier-egress-operator",
            "Service/tunnelier-egress-node-agent",
            // The ServiceAccounts' default names stay (serviceAccount.name, the operator's code).
            "ServiceAccount/tunnelier-operator",
            "ServiceAccount/tunnelier-node-agent");
    Deployment deployment = one(objects, Deployment.class, "tunnelier-egress-operator");
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "egress-operator");
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("tunnelier-operator");

    List<HasMetadata> full = render(Map.of("fullnameOverride", "tnl", "serviceAccount.name", ""));
    assertThat(full)
        .extracting(o -> o.getMetadata().getName())
        .allMatch(n -> n.startsWith("tnl-") || n.equals("tunnelier-node-agent"));
    assertThat(one(full, ClusterRoleBinding.class, "tnl-operator").getSubjects())
        .containsExactly(serviceAccount("tnl-operator"));
  }

  @Test
  void aServiceAccountOfYourOwn() {
    List<HasMetadata> objects =
        render(Map.of("serviceAccount.create", false, "serviceAccount.name", "ops-tunnelier"));
    assertThat(objects)
        .filteredOn(ServiceAccount.class::isInstance)
        .extracting(o -> o.getMetadata().getName())
        .containsExactly("tunnelier-node-agent");
    assertThat(
            one(objects, Deployment.class, "tunnelier-operator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getServiceAccountName())
        .isEqualTo("ops-tunnelier");
    assertThat(one(objects, ClusterRoleBinding.class, "tunnelier-operator").getSubjects())
        .containsExactly(serviceAccount("ops-tunnelier"));
    assertThat(one(objects, RoleBinding.class, "tunnelier-operator").getSubjects())
        .containsExactly(serviceAccount("ops-tunnelier"));
    assertThat(render(Map.of("serviceAccount.name", "mine")))
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .contains("ServiceAccount/mine");
    assertThatThrownBy(
            () ->
                TunnelierChart.template(
                    NS, Map.of("serviceAccount.create", false, "serviceAccount.name", "")))
        .hasMessageContaining(
            "serviceAccount.create is false, so serviceAccount.name must name the ServiceAccount");
  }

  /**
   * Chart.yaml's kubeVersion admits the version the tests run (envtest and kind build the same one)
   * and nothing below what the chart uses: CEL IP/CIDR functions in the CRD (1.31),
   * ValidatingAdmissionPolicy v1 (1.30).
   */
  @Test
  void kubeVersionAdmitsTheTestedVersionAndNotOlderOnes() {
    assertThat(TunnelierChart.template(NS, Map.of())).isNotEmpty();
    for (String tooOld : List.of("1.30.9", "1.29.0")) {
      assertThatThrownBy(
              () ->
                  new Helm(TunnelierChart.directory())
                      .template()
                      .withName("old")
                      .withKubeVersion(tooOld)
                      .call())
          .hasMessageContaining("kubeVersion");
    }
    assertThat(
            new Helm(TunnelierChart.directory())
                .template()
                .withName("oldest")
                .withKubeVersion("1.31.0")
                .call())
        .isNotEmpty();
  }

  static Stream<Arguments> valuesTheSchemaRejects() {
    return Stream.of(
        Arguments.of(
            "image.pullPolicy",
            "Sometimes",
            "at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'"),
        Arguments.of(
            "agent.image.pullPolicy",
            "always",
            "at '/agent/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'"),
        Arguments.of("replicas", -1, "at '/replicas': minimum: got -1, want 0"),
        Arguments.of("port", 80, "at '/port': minimum: got 80, want 1,024"),
        Arguments.of(
            "agent.metricsPort", 443, "at '/agent/metricsPort': minimum: got 443, want 1,024"),
        Arguments.of(
            "agent.metricsPort",
            65536,
            "at '/agent/metricsPort': maximum: got 65,536, want 65,535"),
        Arguments.of(
            "agent.metricsPort", "metrics", "at '/agent/metricsPort': got string, want integer"),
        Arguments.of("image.repository", "", "at '/image/repository': minLength: got 0, want 1"),
        Arguments.of(
            "gatewayFailoverAfter", 30, "at '/gatewayFailoverAfter': got number, want string"),
        // A typo is caught instead of silently ignored.
        Arguments.of("replica", 2, "additional properties 'replica' not allowed"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("valuesTheSchemaRejects")
  void badValuesFailWithTheSchemasMessage(String key, Object value, String message) {
    assertThatThrownBy(() -> TunnelierChart.template(NS, Map.of(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);
  }

  static Stream<Arguments> valuesTheChartRejects() {
    String pool = "is not an IPv4 CIDR with a prefix of /30 or shorter, such as 100.96.0.0/16";
    String duration = "is not a duration: use a number and a unit, such as 500ms, 30s, 2m or 1h";
    return Stream.of(
        Arguments.of("addressPool", "100.96.0/16", "addressPool \"100.96.0/16\" " + pool),
        Arguments.of("addressPool", "100.96.0.0/31", "addressPool \"100.96.0.0/31\" " + pool),
        Arguments.of("addressPool", "300.96.0.0/16", "addressPool \"300.96.0.0/16\" " + pool),
        Arguments.of("addressPool", "100.96.0.0", "addressPool \"100.96.0.0\" " + pool),
        Arguments.of(
            "siteToSiteAddressPool",
            "100.97.0.0/31",
            "siteToSiteAddressPool \"100.97.0.0/31\" is not an IPv4 CIDR with a prefix of /30 or"
                + " shorter, such as 100.97.0.0/16"),
        Arguments.of(
            "addressPool6",
            "fd00:7475:6e6e::/64",
            "addressPool6 \"fd00:7475:6e6e::/64\" is not an IPv6 /96 such as fd00:7475:6e6e::/96"),
        Arguments.of(
            "addressPool6",
            "100.96.0.0/96",
            "addressPool6 \"100.96.0.0/96\" is not an IPv6 /96 such as fd00:7475:6e6e::/96"),
        Arguments.of("gatewayFailoverAfter", "30sec", "gatewayFailoverAfter \"30sec\" " + duration),
        Arguments.of("finalizerWait", "1d", "finalizerWait \"1d\" " + duration),
        Arguments.of(
            "clusterCIDRs[0]",
            "100.88.0.0",
            "clusterCIDRs: \"100.88.0.0\" is not a CIDR: list this cluster's pod and service"
                + " ranges, of either family, such as 10.244.0.0/16, 10.96.0.0/12 and"
                + " fd00:10:96::/112"),
        Arguments.of(
            "clusterCIDRs[0]",
            "fd00:10:96::/129",
            "clusterCIDRs: \"fd00:10:96::/129\" is not a CIDR"),
        Arguments.of(
            "agent.extraArgs[0]",
            "--metrics-port=9500",
            "agent.extraArgs: \"--metrics-port=9500\" is not allowed: set agent.metricsPort"
                + " instead"),
        Arguments.of(
            "agent.extraArgs[0]",
            "--cni-hold",
            "agent.extraArgs: \"--cni-hold\" is not allowed: set agent.cniHold instead"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("valuesTheChartRejects")
  void badShapesFailWithAPlainMessage(String key, Object value, String message) {
    assertThatThrownBy(() -> TunnelierChart.template(NS, Map.of(key, value)))
        .hasMessageContaining(message)
        .satisfies(e -> System.out.printf("%s=%s: %s%n", key, value, e.getMessage()));
  }

  private static List<HasMetadata> render(Map<String, Object> values) {
    return TunnelierChart.objects(TunnelierChart.template(NS, values));
  }

  private static <T extends HasMetadata> T one(
      List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> operatorConfig(List<HasMetadata> objects) {
    String yaml =
        one(objects, ConfigMap.class, "tunnelier-operator").getData().get("operator.yaml");
    return Serialization.unmarshal(yaml, Map.class);
  }

  private static String checksum(List<HasMetadata> objects) {
    return one(objects, Deployment.class, "tunnelier-operator")
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("checksum/config");
  }

  private static Subject serviceAccount(String name) {
    return new io.fabric8.kubernetes.api.model.rbac.SubjectBuilder()
        .withKind("ServiceAccount")
        .withName(name)
        .withNamespace(NS)
        .build();
  }
}
