package io.tunnelier.agent.apply;

import io.tunnelier.agent.kernel.IpCommand;
import io.tunnelier.agent.kernel.IpCommandRefused;
import io.tunnelier.agent.kernel.IpRoute;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends a pass's {@link IpBatches} with as few processes as their outcome allows: all of them in
 * one {@link IpRoute#apply}, and when the kernel refuses a command, the batches after that
 * command's own in the next. So a refused command still stops only its own tunnel's batch, and a
 * pass that programs many tunnels costs one {@code ip} process, not one per tunnel.
 */
final class IpBatchSender {
  private IpBatchSender() {}

  /**
   * @return why each failed batch stopped, by owner; empty when every command was applied
   */
  static Map<String, String> send(IpRoute ip, List<IpBatches.Batch> batches) {
    Map<String, String> errors = new LinkedHashMap<>();
    int next = 0;
    while (next < batches.size()) {
      List<IpBatches.Batch> rest = batches.subList(next, batches.size());
      List<IpCommand> commands = new ArrayList<>();
      rest.forEach(b -> commands.addAll(b.commands()));
      try {
        ip.apply(commands);
        return errors;
      } catch (IpCommandRefused e) {
        int refusedIn = batchOf(rest, e.index());
        errors.put(rest.get(refusedIn).owner(), e.getMessage());
        next += refusedIn + 1;
      } catch (IOException e) {
        // How far the process got is unknown: every batch it carried may be unapplied.
        rest.forEach(b -> errors.put(b.owner(), e.getMessage()));
        return errors;
      }
    }
    return errors;
  }

  /** The position in {@code batches} of the batch that holds command {@code index} of them all. */
  private static int batchOf(List<IpBatches.Batch> batches, int index) {
    int end = 0;
    for (int i = 0; i < batches.size(); i++) {
      end += batches.get(i).commands().size();
      if (index < end) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "command " + index + " is in no batch (" + end + " commands)");
  }
}
