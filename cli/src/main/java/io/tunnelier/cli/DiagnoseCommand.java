package io.tunnelier.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code diagnose TUNNEL}: runs the checks and names the cause. Exit 1 when one fails. */
@Command(
    name = "diagnose",
    mixinStandardHelpOptions = true,
    description =
        "Checks a Tunnel from what the operator and the agents report (gateway candidates, agents,"
            + " datapath, link, routes, nftables, kill switch, MTU, handshake, peer, the VPS) and"
            + " says what is wrong and what to do. Exits 1 when a check fails.")
final class DiagnoseCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", description = "The Tunnel's name.")
  String name;

  @Override
  public Integer call() {
    KubeOptions kube = main.kube;
    try (KubernetesClient client = kube.client()) {
      SnapshotReader reader = new SnapshotReader(client, kube.agentNamespace);
      Tunnel t = reader.tunnel(kube.namespace(), name);
      if (t == null) {
        spec.commandLine().getErr().println("error: no Tunnel " + kube.namespace() + "/" + name);
        return Main.EXIT_USAGE;
      }
      Snapshot snapshot = reader.read(t);
      List<CheckResult> results = Diagnosis.run(snapshot);
      spec.commandLine().getOut().print(DiagnoseReport.render(snapshot, results));
      spec.commandLine().getOut().flush();
      return Diagnosis.cause(snapshot, results).isPresent() ? Main.EXIT_PROBLEM : 0;
    }
  }
}
