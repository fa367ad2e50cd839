package io.tunnelier.agent;

import io.tunnelier.agent.tunnel.BuiltInDatapaths;
import io.tunnelier.agent.tunnel.DatapathOpener;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code node-agent agent} (one per cluster node, from a DaemonSet), {@code node-agent standalone
 * --config peer.yaml} (the VPS or remote end, without Kubernetes), and {@code node-agent plan}
 * (print what either would program, changing nothing).
 */
@Command(
    name = "node-agent",
    mixinStandardHelpOptions = true,
    version = "tunnelier node-agent 0.1.0",
    description =
        "Programs a host's tunnels: devices, addresses, routes, policy rules and nftables.",
    subcommands = {AgentCommand.class, StandaloneCommand.class, PlanCommand.class})
public final class Main {
  /** Bad usage or configuration: the message names the option or field. */
  public static final int EXIT_BAD_CONFIG = 2;

  public static void main(String[] args) {
    System.exit(execute(args, new BuiltInDatapaths()));
  }

  /** Runs a command line whose tunnels {@code datapaths} opens (the built-in ones, or a test's). */
  public static int execute(String[] args, DatapathOpener datapaths) {
    CommandLine line = new CommandLine(new Main());
    line.getSubcommands().get("agent").<AgentCommand>getCommand().datapaths = datapaths;
    line.getSubcommands().get("standalone").<StandaloneCommand>getCommand().datapaths = datapaths;
    return line.execute(args);
  }
}
