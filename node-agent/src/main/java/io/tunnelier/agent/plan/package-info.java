/**
 * Pure functions from what the agent knows (the cluster's Tunnels, Nodes and pods, or peer.yaml) to
 * what this host must carry: TunnelPlans (ClusterPlanner, StandalonePlanner), then the desired
 * kernel objects and nftables table (DesiredStateFunction), with the datapath each tunnel uses
 * (DatapathChoice) and the comments of the counted drop rules (DropRules). No effects; table-driven
 * tests. Depends on the API in crds and on the value types of kernel, nft and datapath.
 */
package io.tunnelier.agent.plan;
