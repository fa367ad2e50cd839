package io.tunnelier.e2e.chart;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The RBAC rules the chart must grant, written out once: the unit test checks the rendered chart
 * grants exactly these, the IT checks each one is allowed on a real API server. docs/security.md
 * gives the reason for each.
 */
final class ChartRbac {
  static final String TUNNELS = "tunnelier.io";

  /**
   * Operator rules {@link OperatorUnderChartRbacIT} cannot make the operator use, as {@code "verb
   * group/resource"} (core group: {@code core}), each with the code that needs it.
   */
  static final Map<String, String> OPERATOR_RULES_NOT_EXERCISED =
      Map.of(
          "get tunnelier.io/tunnels",
          "JOSDK re-reads a Tunnel when removing the finalizer meets a conflict"
              + " (ReconciliationDispatcher.conflictRetryingPatch): needs another writer racing it",
          "update coordination.k8s.io/leases",
          "never a request: JOSDK's LeaderElectionManager.checkLeaseAccess refuses to start"
              + " without it (it wants create, get, update); fabric8's LeaseLock renews by patch");

  private ChartRbac() {}

  /** The operator's ClusterRole: what it needs in every namespace, and nodes. */
  static List<PolicyRule> operatorClusterRules() {
    return List.of(
        rule(TUNNELS, "tunnels", null, "get", "list", "watch", "patch"),
        rule(TUNNELS, "tunnels/status", null, "patch"),
        rule("", "secrets", null, "list", "watch", "create", "update", "delete"),
        rule("", "nodes", null, "list", "watch"),
        rule("", "pods", null, "list", "watch"),
        rule("", "events", null, "create"));
  }

  /** The operator's Role in its own namespace: the node agent DaemonSet and its Lease. */
  static List<PolicyRule> operatorNamespaceRules(String leaseName) {
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(rule("apps", "daemonsets", null, "list", "watch", "create", "patch", "delete"));
    rules.add(rule("coordination.k8s.io", "leases", null, "list", "watch"));
    if (leaseName != null) {
      rules.add(rule("coordination.k8s.io", "leases", null, "create"));
      rules.add(rule("coordination.k8s.io", "leases", leaseName, "get", "update", "patch"));
    }
    return rules;
  }

  /**
   * Verbs the operator's code never needs, which an operator chart often grants: each must be
   * denied to it.
   */
  static List<PolicyRule> operatorDenied() {
    return List.of(
        rule(TUNNELS, "tunnels", null, "create", "update", "delete"),
        rule(TUNNELS, "tunnels/status", null, "get", "update"),
        rule(TUNNELS, "tunnels/finalizers", null, "update"),
        rule("", "secrets", null, "get", "patch"),
        rule("", "nodes", null, "get", "update", "patch"),
        rule("", "pods", null, "get", "create", "delete"),
        rule("", "events", null, "update", "patch"));
  }

  /** The node agents' Role in the release namespace: their heartbeat Leases. */
  static List<PolicyRule> agentNamespaceRules() {
    return List.of(rule("coordination.k8s.io", "leases", null, "create", "patch"));
  }

  /** The node agents' ClusterRole. */
  static List<PolicyRule> agentRules() {
    return List.of(
        rule(TUNNELS, "tunnels", null, "get", "list", "watch"),
        rule(TUNNELS, "tunnels/status", null, "patch"),
        rule("", "nodes", null, "get", "list", "watch"),
        rule("", "pods", null, "get", "list", "watch"),
        rule("", "secrets", null, "get"),
        rule("", "events", null, "create"));
  }

  static PolicyRule rule(String group, String resource, String resourceName, String... verbs) {
    PolicyRuleBuilder rule =
        new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs);
    if (resourceName != null) {
      rule.withResourceNames(resourceName);
    }
    return rule.build();
  }
}
