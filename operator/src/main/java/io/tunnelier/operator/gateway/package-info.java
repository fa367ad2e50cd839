/**
 * Which node is a Tunnel's active gateway and which stand by: pure functions of the Nodes, the
 * Tunnel's selector and status, and the clock. Depends on {@code status} (the agents' reports) and
 * the API types; no client, no I/O.
 */
package io.tunnelier.operator.gateway;
