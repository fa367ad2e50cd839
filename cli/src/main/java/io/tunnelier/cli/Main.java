package io.tunnelier.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code kubectl tunnelier}: the Tunnels' state as the operator and the node agents report it.
 * kubectl runs it as the plugin {@code kubectl-tunnelier} (the launcher next to the jar).
 */
@Command(
    name = "kubectl tunnelier",
    mixinStandardHelpOptions = true,
    version = "tunnelier kubectl plugin 0.1.0",
    description = "Status, diagnosis, VPS config and agent logs of Tunnels.",
    subcommands = {
      StatusCommand.class,
      DiagnoseCommand.class,
      VpsConfigCommand.class,
      LogsCommand.class
    })
public final class Main {
  @Mixin KubeOptions kube = new KubeOptions();

  /** diagnose found a FAIL. */
  public static final int EXIT_PROBLEM = 1;

  /** Bad usage, or no such Tunnel. */
  public static final int EXIT_USAGE = 2;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("error: " + e.getMessage());
              return EXIT_USAGE;
            });
  }
}
