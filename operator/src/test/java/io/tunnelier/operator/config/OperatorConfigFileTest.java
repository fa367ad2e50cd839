package io.tunnelier.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.api.Durations;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OperatorConfigFileTest {
  @Test
  void emptyFileMeansDefaults() {
    OperatorConfig config = OperatorConfigFile.parse("");
    assertThat(config.addressPool()).isEqualTo("100.96.0.0/16");
    assertThat(config.siteToSiteAddressPool()).isEqualTo("100.97.0.0/16");
    assertThat(config.gatewayFailoverAfterDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.finalizerWaitDuration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.clusterCIDRs()).isEmpty();
    assertThat(config.agent().image()).isEqualTo(AgentConfig.DEFAULT_IMAGE);
    assertThat(config.agent().tolerations()).hasSize(1);
    assertThat(config.agent().tolerations().get(0).getOperator()).isEqualTo("Exists");
    assertThat(config.agent().metricsPort()).isEqualTo(AgentConfig.DEFAULT_METRICS_PORT);
  }

  @Test
  void theAgentsLogFormatIsTextOrJson() {
    assertThat(OperatorConfigFile.parse("").agent().logFormat()).isEqualTo("text");
    assertThat(OperatorConfigFile.parse("agent:\n  logFormat: json\n").agent().logFormat())
        .isEqualTo("json");
    assertThatThrownBy(() -> OperatorConfigFile.parse("agent:\n  logFormat: yaml\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent.logFormat 'yaml' is neither text nor json");
  }

  @Test
  void readsEveryKey() {
    OperatorConfig config =
        OperatorConfigFile.parse(
            """
            addressPool: 100.100.0.0/20
            siteToSiteAddressPool: 100.101.0.0/24
            gatewayFailoverAfter: 45s
            finalizerWait: 2m
            clusterCIDRs: [100.80.0.0/16, 100.88.0.0/16, 'fd00:88::/112']
            agent:
              image: img:1
              imagePullPolicy: Never
              imagePullSecrets: [{name: regcred}]
              extraArgs: [--verbose]
              tolerations: []
              nodeSelector: {a: b}
              resources: {limits: {memory: 1Gi}}
              priorityClassName: system-node-critical
              metricsPort: 9500
            """);
    assertThat(config.addressPool()).isEqualTo("100.100.0.0/20");
    assertThat(config.siteToSiteAddressPool()).isEqualTo("100.101.0.0/24");
    assertThat(config.siteToSitePool().toString()).isEqualTo("100.101.0.0/24");
    assertThat(config.gatewayFailoverAfterDuration()).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.finalizerWaitDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.clusterCIDRs())
        .containsExactly("100.80.0.0/16", "100.88.0.0/16", "fd00:88::/112");
    assertThat(config.agent().image()).isEqualTo("img:1");
    assertThat(config.agent().imagePullPolicy()).isEqualTo("Never");
    assertThat(config.agent().imagePullSecrets().get(0).getName()).isEqualTo("regcred");
    assertThat(config.agent().extraArgs()).containsExactly("--verbose");
    assertThat(config.agent().tolerations()).isEmpty();
    assertThat(config.agent().nodeSelector()).containsEntry("a", "b");
    assertThat(config.agent().resources().getLimits().get("memory").toString()).isEqualTo("1Gi");
    assertThat(config.agent().priorityClassName()).isEqualTo("system-node-critical");
    assertThat(config.agent().metricsPort()).isEqualTo(9500);
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of("adressPool: 10.0.0.0/8", "unknown key 'adressPool'"),
        Arguments.of("agent: {imagee: x}", "unknown key 'imagee'"),
        Arguments.of("gatewayFailoverAfter: 30", "invalid duration '30'"),
        Arguments.of("addressPool: 100.96.0.0", "100.96.0.0"),
        Arguments.of(
            "siteToSiteAddressPool: 100.97.0.0/31",
            "siteToSiteAddressPool 100.97.0.0/31 is too small: use at most a /30"),
        Arguments.of("siteToSiteAddressPool: 100.97.0/16", "siteToSiteAddressPool: '100.97.0/16'"),
        // The default siteToSiteAddressPool is 100.97.0.0/16.
        Arguments.of(
            "addressPool: 100.97.128.0/20",
            "addressPool 100.97.128.0/20 and siteToSiteAddressPool 100.97.0.0/16 overlap: give"
                + " them separate ranges"),
        Arguments.of(
            "{addressPool: 100.96.0.0/16, siteToSiteAddressPool: 100.96.255.0/24}", "overlap"),
        Arguments.of("finalizerWait: [1]", "invalid operator configuration"),
        Arguments.of("clusterCIDRs: [100.80.0.0]", "clusterCIDRs: '100.80.0.0' is not a CIDR"),
        Arguments.of("clusterCIDRs: ['fd00:10::96::/112']", "clusterCIDRs: "),
        Arguments.of("clusterCIDRs: ['fd00:10:96::/129']", "clusterCIDRs: "),
        Arguments.of(
            "agent: {metricsPort: 443}", "agent.metricsPort 443 is not a port from 1024 to 65535"),
        Arguments.of("agent: {metricsPort: http}", "invalid operator configuration"),
        Arguments.of(
            "agent: {extraArgs: [--metrics-port=9500]}",
            "agent.extraArgs: '--metrics-port=9500' is not allowed: set agent.metricsPort"),
        Arguments.of(
            "agent: {extraArgs: [--heartbeat-interval=100ms]}",
            "agent.extraArgs: '--heartbeat-interval=100ms' is not allowed: set"
                + " gatewayHeartbeatInterval"),
        Arguments.of(
            "{gatewayHeartbeatInterval: 2s, gatewayHeartbeatTimeout: 3s}",
            "gatewayHeartbeatTimeout 3s is shorter than twice gatewayHeartbeatInterval 2s"),
        Arguments.of(
            "gatewayHeartbeatTimeout: soon", "gatewayHeartbeatTimeout: invalid duration 'soon'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void mistakesAreClear(String yaml, String message) {
    assertThatThrownBy(() -> OperatorConfigFile.parse(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"500ms", "30s", "2m", "1h"})
  void durationsReadBack(String text) {
    assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
  }
}
