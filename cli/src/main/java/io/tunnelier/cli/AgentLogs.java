package io.tunnelier.cli;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The lines of {@code kubectl tunnelier logs}: each agent pod's log (read through {@link Source},
 * the API server's {@code pods/log} in the command, a fake in tests), filtered to one Tunnel and
 * prefixed with the pod's node; a log that cannot be read becomes a line saying why.
 */
public final class AgentLogs {
  /** Reads one pod's log; throws with a message a user can act on when it cannot. */
  public interface Source {
    String log(Pod pod);
  }

  private AgentLogs() {}

  /**
   * @param onlyNode a node name, or null for every agent
   * @return the kept lines, node by node (in node order), and the errors
   */
  public static Result collect(List<Pod> pods, String onlyNode, LogFilter filter, Source source) {
    List<String> lines = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<Pod> sorted = pods.stream().sorted(Comparator.comparing(AgentLogs::label)).toList();
    for (Pod pod : sorted) {
      String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (onlyNode != null && !onlyNode.equals(nodeName)) {
        continue;
      }
      String prefix = "[" + label(pod) + "] ";
      try {
        filter.filter(source.log(pod)).forEach(l -> lines.add(prefix + l));
      } catch (RuntimeException e) {
        errors.add(
            prefix
                + "cannot read the log of "
                + pod.getMetadata().getName()
                + ": "
                + e.getMessage());
      }
    }
    return new Result(lines, errors);
  }

  public record Result(List<String> lines, List<String> errors) {}

  private static String label(Pod pod) {
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return nodeName == null ? pod.getMetadata().getName() : nodeName;
  }
}
