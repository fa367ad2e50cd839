package io.tunnelier.agent.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.v1alpha1.NodeStatus;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

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
    LoggingEventBuilder event =
        LOG.atInfo()
            .setMessage("tunnel status")
            .addKeyValue("tunnel", tunnelKey)
            .addKeyValue("role", entry.getRole())
            .addKeyValue("datapath", entry.getDatapath());
    if (entry.getConditions() != null) {
      for (Condition c : entry.getConditions()) {
        event.addKeyValue(c.getType(), c.getStatus());
      }
    }
    event.log();
  }
}
