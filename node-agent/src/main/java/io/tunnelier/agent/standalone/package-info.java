/**
 * The standalone agent's plan source: the peer.yaml the operator renders, re-read when it changes
 * or on SIGHUP, the last good one kept. Depends on {@code plan}, {@code loop} (the plan source
 * contract) and the shared config types in {@code io.tunnelier.api.peerconfig}.
 */
package io.tunnelier.agent.standalone;
