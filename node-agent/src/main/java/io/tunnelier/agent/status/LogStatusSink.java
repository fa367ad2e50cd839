package io.tunnelier.agent.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs an entry when it changes (standalone mode without a status file). */
public final class LogStatusSink implements StatusSink {
  private static final Logger LOG = LoggerFactory.getLogger(LogStatusSink.class);
  private final Map<String, NodeStatus> last = new HashMap<>();

  @Override
  public synchronized void report(String tunnelKey, NodeStatus entry) {
    if (NodeStatusBuilder.sameExceptCounters(last.get(tunnelKey), entry)) {
      return;
    }
    last.put(tunnelKey, entry);
    StringBuilder b = new StringBuilder();
    if (entry.getConditions() != null) {
      for (Condition c : entry.getConditions()) {
        b.append(' ').append(c.getType()).append('=').append(c.getStatus());
      }
    }
    LOG.info(
        "msg=\"tunnel status\" tunnel={} role={} datapath={}{}",
        tunnelKey,
        entry.getRole(),
        entry.getDatapath(),
        b);
  }
}
