package io.tunnelier.e2e.chart;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The RBAC rules the chart must grant, written out once: the unit test checks the rendered chart
 * grants exactly these, the IT checks each one is allowed on a real API server. docs/security.md
 * gives the reason for each.
 */
final class ChartRbac {
  static final String TUNNELS = "tunnelier.io";

  private ChartRbac() {}

  /** The operator's ClusterRole: what it needs in every namespace, and nodes. */
  static List<PolicyRule> operatorClusterRules() {
    return List.of(
        rule(TUNNELS, "tunnels", null, "get", "list", "watch", "patch", "update"),
        rule(TUNNELS, "tunnels/status", null, "get", "patch", "update"),
        rule(TUNNELS, "tunnels/finalizers", null, "update"),
        rule("", "secrets", null, "get", "list", "watch", "create", "update", "patch", "delete"),
        rule("", "nodes", null, "get", "list", "watch"),
        rule("", "pods", null, "list", "watch"),
        rule("", "events", null, "create"));
  }

  /** The operator's Role in its own namespace: the node agent DaemonSet and its Lease. */
  static List<PolicyRule> operatorNamespaceRules(String leaseName) {
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(
        rule(
            "apps",
            "daemonsets",
            null,
            "get",
            "list",
            "watch",
            "create",
            "update",
            "patch",
            "delete"));
    if (leaseName != null) {
      rules.add(rule("coordination.k8s.io", "leases", null, "create"));
      rules.add(rule("coordination.k8s.io", "leases", leaseName, "get", "update"));
    }
    return rules;
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
