package io.tunnelier.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.tunnelier.operator.config.OperatorConfig;
import io.tunnelier.operator.config.OperatorConfigFile;
import io.tunnelier.operator.dependent.NodeAgentDaemonSetSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration file the chart renders is one the operator reads (it rejects unknown keys), and
 * the chart's agent values end up in the node agent DaemonSet.
 */
class ChartOperatorConfigTest {
  private static final String NS = "tunnelier-system";

  private static OperatorConfig config(Map<String, Object> values) {
    List<HasMetadata> objects = TunnelierChart.objects(TunnelierChart.template(NS, values));
    String yaml =
        objects.stream()
            .filter(ConfigMap.class::isInstance)
            .map(ConfigMap.class::cast)
            .filter(c -> c.getMetadata().getName().equals("tunnelier-operator"))
            .findFirst()
            .orElseThrow()
            .getData()
            .get("operator.yaml");
    return OperatorConfigFile.parse(yaml);
  }

  @Test
  void defaultValuesGiveTheOperatorsDefaults() {
    OperatorConfig config = config(Map.of());
    assertThat(config.addressPool()).isEqualTo("100.96.0.0/16");
    assertThat(config.siteToSiteAddressPool()).isEqualTo("100.97.0.0/16");
    assertThat(config.addressPool6()).isEqualTo("fd00:7475:6e6e::/96");
    assertThat(config.gatewayFailoverAfterDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.finalizerWaitDuration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.clusterCIDRs()).isEmpty();
    DaemonSet ds = NodeAgentDaemonSetSpec.desired(config, NS);
    var pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getImage()).startsWith("ghcr.io/tunnelier/node-agent:");
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
  }

  @Test
  void chartValuesReachTheDaemonSet() {
    OperatorConfig config =
        config(
            Map.of(
                "agent.image.repository", "registry.example/tunnelier-agent",
                "agent.image.tag", "dev",
                "agent.image.pullPolicy", "Never",
                "agent.nodeSelector.tunnelier\\.io/agent", "yes",
                "addressPool", "10.200.0.0/20",
                "siteToSiteAddressPool", "10.201.0.0/24",
                "gatewayFailoverAfter", "10s",
                "finalizerWait", "2m",
                "clusterCIDRs[0]", "100.80.0.0/16",
                "clusterCIDRs[1]", "fd00:88::/112"));
    assertThat(config.addressPool()).isEqualTo("10.200.0.0/20");
    assertThat(config.siteToSiteAddressPool()).isEqualTo("10.201.0.0/24");
    assertThat(config.gatewayFailoverAfterDuration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.finalizerWaitDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.clusterCIDRs()).containsExactly("100.80.0.0/16", "fd00:88::/112");
    DaemonSet ds = NodeAgentDaemonSetSpec.desired(config, NS);
    var agent = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
    // One value for both: the operator's refusals and the agents' egress exclusions.
    assertThat(agent.getArgs()).contains("--cluster-cidr=100.80.0.0/16,fd00:88::/112");
    assertThat(agent.getImage()).isEqualTo("registry.example/tunnelier-agent:dev");
    assertThat(agent.getImagePullPolicy()).isEqualTo("Never");
    assertThat(ds.getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("tunnelier.io/agent", "yes");
  }

  @Test
  void theIpv6PoolReachesTheOperator() {
    assertThat(config(Map.of("addressPool6", "fd00:1234:5678::/96")).addressPool6())
        .isEqualTo("fd00:1234:5678::/96");
  }

  /** The chart's one value for the agents' port: their argument, container port and probe. */
  @Test
  void theMetricsPortReachesTheAgents() {
    var agent = agent(config(Map.of()));
    assertThat(agent.getArgs()).contains("--metrics-port=9464");
    assertThat(agent.getPorts().get(0).getContainerPort()).isEqualTo(9464);

    agent = agent(config(Map.of("agent.metricsPort", 19464)));
    assertThat(agent.getArgs())
        .contains("--metrics-port=19464")
        .doesNotContain("--metrics-port=9464");
    assertThat(agent.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo(NodeAgentDaemonSetSpec.METRICS_PORT_NAME);
              assertThat(p.getContainerPort()).isEqualTo(19464);
              assertThat(p.getHostPort()).isEqualTo(19464);
            });
    assertThat(agent.getReadinessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo(NodeAgentDaemonSetSpec.METRICS_PORT_NAME);
  }

  private static Container agent(OperatorConfig config) {
    return NodeAgentDaemonSetSpec.desired(config, NS)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  @Test
  void theLogFormatReachesTheAgents() {
    OperatorConfig config = config(Map.of("logFormat", "json"));
    var agent =
        NodeAgentDaemonSetSpec.desired(config, NS)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    // One value for both processes: the operator's env (the chart) and the agents' (the config).
    assertThat(agent.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("TUNNELIER_LOG_FORMAT");
              assertThat(e.getValue()).isEqualTo("json");
            });
  }

  /** agent.cniHold reaches the agents: on by default, the node's CNI directories mounted; off. */
  @Test
  void theCniHoldReachesTheAgents() {
    assertThat(config(Map.of()).agent().cniHold().enabled()).isTrue();
    OperatorConfig off = config(Map.of("agent.cniHold.enabled", false));
    assertThat(agent(off).getArgs()).doesNotContain("--cni-hold");
    assertThat(agent(off).getVolumeMounts())
        .extracting(m -> m.getName())
        .doesNotContain("cni-bin", "cni-conf");

    OperatorConfig config = config(Map.of("agent.cniHold.confDir", "/etc/cni/custom"));
    assertThat(agent(config).getArgs())
        .contains(
            "--cni-hold", "--cni-conf-dir=/host/etc/cni/net.d", "--cni-bin-dir=/host/opt/cni/bin");
    assertThat(
            NodeAgentDaemonSetSpec.desired(config, NS)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("cni-conf");
              assertThat(v.getHostPath().getPath()).isEqualTo("/etc/cni/custom");
            });
  }
}
