package io.tunnelier.cli;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code logs TUNNEL}: the agents' log lines about one Tunnel, node by node. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description =
        "The node agents' log lines that name the Tunnel (tunnel=<namespace>/<name>) or its"
            + " devices (tnl-…, tnlv-…), each prefixed with its node.")
final class LogsCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", description = "The Tunnel's name.")
  String name;

  @Option(
      names = "--tail",
      defaultValue = "2000",
      description = "How many of each agent's last lines to search (default ${DEFAULT-VALUE}).")
  int tail;

  @Option(names = "--node", description = "Only this node's agent.")
  String node;

  @Override
  public Integer call() {
    KubeOptions kube = main.kube;
    try (KubernetesClient client = kube.client()) {
      String namespace = kube.namespace();
      LogFilter filter = new LogFilter(namespace, name);
      List<Pod> pods = new SnapshotReader(client, kube.agentNamespace).agentPods();
      if (pods.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "error: no agent pods (label "
                    + SnapshotReader.AGENT_LABEL
                    + "="
                    + SnapshotReader.AGENT_NAME
                    + ") found"
                    + (kube.agentNamespace == null ? "" : " in " + kube.agentNamespace));
        return Main.EXIT_USAGE;
      }
      AgentLogs.Result result =
          AgentLogs.collect(
              pods,
              node,
              filter,
              pod -> {
                try {
                  return client
                      .pods()
                      .inNamespace(pod.getMetadata().getNamespace())
                      .withName(pod.getMetadata().getName())
                      .tailingLines(tail)
                      .getLog();
                } catch (KubernetesClientException e) {
                  throw new IllegalStateException(SnapshotReader.reason(e), e);
                }
              });
      result.lines().forEach(spec.commandLine().getOut()::println);
      result.errors().forEach(spec.commandLine().getErr()::println);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
