package io.tunnelier.e2e.bench;

import io.fabric8.kubernetes.api.model.Condition;
import io.tunnelier.api.v1alpha1.NodeStatus;
import io.tunnelier.api.v1alpha1.Tunnel;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** One version of a Tunnel in a line: when it was seen, its conditions and each node's. */
final class TunnelTrace {
  private TunnelTrace() {}

  static String line(Tunnel t, long atMillis) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "  %6.2f s  rv %s  gen %s",
                atMillis / 1000.0,
                t.getMetadata().getResourceVersion(),
                t.getMetadata().getGeneration()));
    // Who wrote last: the managedFields entries with the latest time (a second's resolution).
    String latest =
        t.getMetadata().getManagedFields().stream()
            .map(f -> f.getTime())
            .filter(java.util.Objects::nonNull)
            .max(String::compareTo)
            .orElse("");
    b.append("  by ")
        .append(
            t.getMetadata().getManagedFields().stream()
                .filter(f -> latest.equals(f.getTime()))
                .map(f -> f.getManager())
                .collect(Collectors.joining("+")));
    if (t.getStatus() == null) {
      return b.append("  (no status)").toString();
    }
    b.append("  ").append(conditions(t.getStatus().getConditions()));
    if (t.getStatus().getActiveGateway() != null) {
      b.append("  gateway ").append(t.getStatus().getActiveGateway());
    }
    if (t.getStatus().getNodes() != null) {
      for (NodeStatus n : t.getStatus().getNodes()) {
        b.append("  | ").append(n.getName()).append(' ').append(conditions(n.getConditions()));
      }
    }
    return b.toString();
  }

  private static String conditions(List<Condition> conditions) {
    if (conditions == null) {
      return "-";
    }
    return conditions.stream()
        .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .collect(Collectors.joining(","));
  }
}
