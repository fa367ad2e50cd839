/**
 * The contract the operator, the agent and the plugin share, in the module all of them depend on:
 * the Tunnel API (v1alpha1), the VPS's peer.yaml (peerconfig), addresses (net), keys (keys), the
 * HTTP endpoints (http), the log format (logging) and durations (Durations). Nothing here depends
 * on the operator or the agent.
 */
package io.tunnelier.api;
