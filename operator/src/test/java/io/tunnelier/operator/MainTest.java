package io.tunnelier.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tunnelier.operator.config.OperatorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void helpListsTheOptions() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    int code = cli.execute("--help");
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("Usage: tunnelier-operator")
        .contains("--config")
        .contains("--namespace")
        .contains("--port")
        .contains("--[no-]leader-election")
        .contains("--agent-image")
        .contains("--site-to-site-address-pool")
        .contains("--gateway-failover-after")
        .contains("--finalizer-wait");
  }

  @Test
  void flagsOverrideTheConfigurationFile() {
    Main main = new Main();
    new CommandLine(main)
        .parseArgs(
            "--config=/nonexistent/operator.yaml",
            "--agent-image=img:2",
            "--address-pool=100.100.0.0/24",
            "--gateway-failover-after=5s",
            "--finalizer-wait=10s");
    OperatorConfig config = main.effectiveConfig();
    assertThat(config.agent().image()).isEqualTo("img:2");
    assertThat(config.addressPool()).isEqualTo("100.100.0.0/24");
    assertThat(config.gatewayFailoverAfterDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.finalizerWaitDuration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.siteToSiteAddressPool()).isEqualTo("100.97.0.0/16");
  }

  @Test
  void bothPoolsMoveTogether() {
    Main main = new Main();
    // Each new pool overlaps the other's default: applied one by one, the first would fail.
    new CommandLine(main)
        .parseArgs(
            "--config=/nonexistent/operator.yaml",
            "--address-pool=100.97.0.0/16",
            "--site-to-site-address-pool=100.96.0.0/16");
    OperatorConfig config = main.effectiveConfig();
    assertThat(config.addressPool()).isEqualTo("100.97.0.0/16");
    assertThat(config.siteToSiteAddressPool()).isEqualTo("100.96.0.0/16");
  }

  @Test
  void overlappingPoolsAreRefused() {
    Main main = new Main();
    new CommandLine(main)
        .parseArgs(
            "--config=/nonexistent/operator.yaml", "--site-to-site-address-pool=100.96.128.0/20");
    // call() turns this into "invalid configuration: ..." and exit code 2, before connecting.
    assertThatThrownBy(main::effectiveConfig)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "addressPool 100.96.0.0/16 and siteToSiteAddressPool 100.96.128.0/20 overlap");
  }
}
