package io.tunnelier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineTest {
  @Test
  void kubectlFlagsGoBeforeOrAfterTheCommand() {
    for (String[] args :
        new String[][] {
          {"-n", "scraping", "--context", "prod", "diagnose", "egress-nyc"},
          {"diagnose", "egress-nyc", "-n", "scraping", "--context", "prod"},
          {"diagnose", "--namespace=scraping", "--context=prod", "egress-nyc"}
        }) {
      Main main = new Main();
      new CommandLine(main).parseArgs(args);

      assertThat(main.kube.namespace).as(String.join(" ", args)).isEqualTo("scraping");
      assertThat(main.kube.context).as(String.join(" ", args)).isEqualTo("prod");
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"status", "diagnose", "vps-config", "logs"}) {
      String usage = Main.commandLine().getSubcommands().get(command).getUsageMessage();
      assertThat(usage).contains("--kubeconfig", "--context", "--namespace");
    }
  }
}
