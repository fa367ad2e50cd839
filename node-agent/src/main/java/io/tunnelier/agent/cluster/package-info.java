/**
 * In-cluster mode's view of Kubernetes: informers (or a YAML file in tests and dry runs) on
 * Tunnels, Nodes, Pods and the key Secrets, reduced to what the planner needs and planned for this
 * node ({@link io.tunnelier.agent.cluster.ClusterPlanSource}). Depends on {@code plan}, {@code
 * loop} (the plan source contract), fabric8 and the API types.
 */
package io.tunnelier.agent.cluster;
