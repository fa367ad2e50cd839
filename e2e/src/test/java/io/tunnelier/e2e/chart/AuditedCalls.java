package io.tunnelier.e2e.chart;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.tunnelier.e2e.controlplane.AuditLog;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One identity's requests from the audit log, as the calls RBAC checked: {@code "verb
 * group/resource[/subresource]"} (core group: {@code core}), or {@code "verb /path"} for a
 * non-resource URL.
 */
final class AuditedCalls {
  private final List<AuditLog.Event> events;
  private final Map<String, Integer> counts = new TreeMap<>();
  private final Map<String, String> allowedBy = new TreeMap<>();

  AuditedCalls(List<AuditLog.Event> events) {
    this.events = List.copyOf(events);
    for (AuditLog.Event e : events) {
      for (String verb : verbsChecked(e)) {
        String call = call(verb, e.apiGroup(), e.target());
        counts.merge(call, 1, Integer::sum);
        if (e.reason() != null && !e.reason().isEmpty()) {
          allowedBy.putIfAbsent(call, e.reason());
        }
      }
    }
  }

  /** Every call made, sorted. */
  Set<String> used() {
    return new TreeSet<>(counts.keySet());
  }

  /** How many times the call was made. */
  int count(String call) {
    return counts.getOrDefault(call, 0);
  }

  /** The RBAC reason the API server gave for allowing the call (the binding and role). */
  String allowedBy(String call) {
    return allowedBy.getOrDefault(call, "");
  }

  /**
   * Requests RBAC denied anywhere, and any 401/403 in {@code namespaces} or cluster-scoped.
   * Elsewhere a 403 after RBAC allowed is admission's (e.g. a namespace being deleted), not ours.
   */
  List<AuditLog.Event> denied(Set<String> namespaces) {
    return events.stream()
        .filter(
            e ->
                "forbid".equals(e.decision())
                    || e.code() == 401
                    || (e.code() == 403
                        && (e.namespace() == null || namespaces.contains(e.namespace()))))
        .toList();
  }

  /** Each call with its count and what allowed it, then the responses that were not 2xx. */
  String describe() {
    StringBuilder out = new StringBuilder();
    counts.forEach(
        (call, n) -> out.append(String.format("%-55s %4d  %s%n", call, n, allowedBy(call))));
    Map<Integer, Long> codes =
        events.stream()
            .collect(
                Collectors.groupingBy(AuditLog.Event::code, TreeMap::new, Collectors.counting()));
    out.append("response codes: ").append(codes).append('\n');
    events.stream()
        .filter(e -> e.code() >= 300)
        .forEach(
            e ->
                out.append(
                    String.format(
                        "  %d %s %s (%s)%n", e.code(), e.verb(), e.requestUri(), e.decision())));
    return out.toString();
  }

  /** The calls a set of RBAC rules allows, in the same notation. */
  static Set<String> granted(Collection<PolicyRule> rules) {
    Set<String> granted = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            granted.add(call(verb, group, resource));
          }
        }
      }
    }
    return granted;
  }

  /**
   * The verbs RBAC checked for a request: its own, and for a server-side apply that created the
   * object (HTTP 201) also create, which the API server checks inside the patch.
   */
  static List<String> verbsChecked(AuditLog.Event e) {
    if ("patch".equals(e.verb()) && e.code() == 201) {
      return List.of("patch", "create");
    }
    return List.of(e.verb());
  }

  static String call(String verb, String group, String target) {
    return verb + " " + (group == null ? "" : group.isEmpty() ? "core/" : group + "/") + target;
  }
}
