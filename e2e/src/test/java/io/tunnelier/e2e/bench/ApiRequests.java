package io.tunnelier.e2e.bench;

import io.tunnelier.e2e.controlplane.AuditLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The API requests the operator and the agents (ServiceAccounts, the only identities the audit log
 * records) made during a phase of the benchmark, counted per call: who, verb, resource. A request
 * counts once: at ResponseComplete, or for a watch when it started.
 *
 * @param byCall requests per {@code "who verb resource[/subresource]"}
 */
record ApiRequests(Map<String, Long> byCall) {
  static ApiRequests of(List<AuditLog.Event> events) {
    Map<String, Long> byCall = new TreeMap<>();
    for (AuditLog.Event e : events) {
      boolean watch = "watch".equals(e.verb());
      if (!(watch ? "ResponseStarted" : "ResponseComplete").equals(e.stage())) {
        continue;
      }
      byCall.merge(who(e.user()) + " " + e.verb() + " " + e.target(), 1L, Long::sum);
    }
    return new ApiRequests(byCall);
  }

  long total() {
    return byCall.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Total and the calls that make it, each per Tunnel, largest first. */
  String describe(int tunnels) {
    return describe(tunnels, "Tunnel");
  }

  /** Total and the calls that make it, each per minute of {@code window}, largest first. */
  String describePerMinute(Duration window) {
    return describe(window.toMillis() / 60_000.0, "minute");
  }

  private String describe(double per, String unit) {
    List<Map.Entry<String, Long>> calls = new ArrayList<>(byCall.entrySet());
    calls.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    StringBuilder b =
        new StringBuilder(
            String.format(Locale.ROOT, "%d requests, %.1f per %s%n", total(), total() / per, unit));
    for (Map.Entry<String, Long> c : calls) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %6d  %5.2f per %s  %s%n",
              c.getValue(),
              c.getValue() / per,
              unit,
              c.getKey()));
    }
    return b.toString();
  }

  /** {@code system:serviceaccount:NS:NAME} → NAME. */
  private static String who(String user) {
    return user == null ? "?" : user.substring(user.lastIndexOf(':') + 1);
  }
}
