/**
 * A Tunnel's status from the agents' reports and the operator's decisions (StatusAggregator, pure),
 * its conditions and their names, the Events a change deserves (TunnelEvents, pure) and their
 * recorder, and gateway changes as a metric (GatewayChanges).
 */
package io.tunnelier.operator.status;
