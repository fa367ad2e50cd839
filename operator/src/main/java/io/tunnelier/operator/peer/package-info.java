/**
 * What the far end needs, rendered purely from the Tunnel, its addresses and keys: {@code
 * peer.yaml} for the standalone agent (the shared types in {@code io.tunnelier.api.peerconfig}),
 * {@code wg0.conf} for stock WireGuard, and the cluster end's public key. Depends on {@code keys}
 * and {@code address}.
 */
package io.tunnelier.operator.peer;
