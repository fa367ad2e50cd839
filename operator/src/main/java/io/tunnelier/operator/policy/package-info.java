/**
 * What the operator refuses in a Tunnel that the API server's schema cannot see: overlaps with the
 * cluster's own ranges (ClusterRanges), GRE key and address clashes between Tunnels (SpecRefusals).
 * Pure; the reconciler turns a refusal into status and an Event.
 */
package io.tunnelier.operator.policy;
