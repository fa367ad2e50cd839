package io.tunnelier.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code status [TUNNEL]}: a table of Tunnels, or one Tunnel in detail. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Tunnels with their gateway, readiness, peer RTT, detour and healthy nodes; with a name,"
            + " that Tunnel in detail with every node's conditions.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", description = "A Tunnel's name: show it in detail.")
  String name;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Tunnels of every namespace.")
  boolean allNamespaces;

  @Option(
      names = {"-o", "--output"},
      description = "wide: a row per node under each Tunnel.")
  String output;

  @Override
  public Integer call() {
    KubeOptions kube = main.kube;
    try (KubernetesClient client = kube.client()) {
      SnapshotReader reader = new SnapshotReader(client, kube.agentNamespace);
      if (name != null) {
        Tunnel t = reader.tunnel(kube.namespace(), name);
        if (t == null) {
          spec.commandLine().getErr().println("error: no Tunnel " + kube.namespace() + "/" + name);
          return Main.EXIT_USAGE;
        }
        spec.commandLine()
            .getOut()
            .print(StatusView.detail(t, reader.leaseRenewals(), Instant.now()));
        spec.commandLine().getOut().flush();
        return 0;
      }
      List<Tunnel> tunnels = reader.tunnels(allNamespaces ? null : kube.namespace());
      spec.commandLine()
          .getOut()
          .print(
              StatusView.table(
                  tunnels, "wide".equals(output), reader.leaseRenewals(), Instant.now()));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
