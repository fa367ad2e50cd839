package io.tunnelier.e2e.agent;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Exactly the chart's node-agent ClusterRole (charts/tunnelier/templates/rbac-node-agent.yaml):
 * read Tunnels, Nodes and Pods (list and watch for the informers), patch (apply) its entry of
 * Tunnel status, get (never list or watch) Secrets, create Events.
 */
final class AgentRbac {
  static final String NAME = "tunnelier-agent-e2e";

  private AgentRbac() {}

  static void grant(KubernetesClient admin, String namespace, String serviceAccount) {
    ClusterRole role =
        new ClusterRoleBuilder()
            .withNewMetadata()
            .withName(NAME)
            .endMetadata()
            .addNewRule()
            .withApiGroups("tunnelier.io")
            .withResources("tunnels")
            .withVerbs("get", "list", "watch")
            .endRule()
            .addNewRule()
            .withApiGroups("tunnelier.io")
            .withResources("tunnels/status")
            .withVerbs("get", "patch")
            .endRule()
            .addNewRule()
            .withApiGroups("")
            .withResources("nodes", "pods")
            .withVerbs("get", "list", "watch")
            .endRule()
            .addNewRule()
            .withApiGroups("")
            .withResources("secrets")
            .withVerbs("get")
            .endRule()
            .build();
    admin.rbac().clusterRoles().resource(role).serverSideApply();
    ClusterRoleBinding binding =
        new ClusterRoleBindingBuilder()
            .withNewMetadata()
            .withName(NAME)
            .endMetadata()
            .withNewRoleRef()
            .withApiGroup("rbac.authorization.k8s.io")
            .withKind("ClusterRole")
            .withName(NAME)
            .endRoleRef()
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(serviceAccount)
            .withNamespace(namespace)
            .endSubject()
            .build();
    admin.rbac().clusterRoleBindings().resource(binding).serverSideApply();
  }
}
